package dev.quiver.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Function;

import dev.quiver.testsupport.Workload;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.quiver.objects.ArrowCache;

/**
 * Replays every {@link Workload} at each of its cache sizes through ArrowCache, Caffeine, LRU and Belady's optimum, and
 * prints one markdown table of their hit rates with ArrowCache's ratio to Caffeine and the geometric mean of those
 * ratios.
 * <p>
 * Every request is a read with a loader ({@code get(key, loader)}); a hit is a read whose loader was not called. One
 * thread replays, and Caffeine runs its maintenance on it, so the results repeat. Belady's optimum knows the future:
 * it evicts (or does not admit) the key whose next use is furthest away, which bounds what any policy can reach.
 * <pre>{@code
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.quiver.benchmarks.HitRateSimulation [hit-rates.tsv]
 * }</pre>
 * Given a file, it also writes every hit rate there, one line per shape, size and policy, for the chart.
 */
public final class HitRateSimulation {

    private HitRateSimulation() {
    }

    /**
     * Runs every shape at every size.
     *
     * @param args optionally a file to write the hit rates to, tab-separated
     * @throws IOException if the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        List<String> rows = new ArrayList<>();
        List<String> tsv = new ArrayList<>();
        tsv.add(String.join("\t", "shape", "size", "policy", "hit_rate"));
        double logRatios = 0;
        int cases = 0;
        double worst = Double.MAX_VALUE;
        for (Workload workload : Workload.values()) {
            int[] keys = workload.keys();
            for (int size : workload.sizes()) {
                double optimum = belady(keys, size);
                double lru = lru(keys, size);
                double caffeine = caffeine(keys, size);
                double arrow = arrow(keys, size);
                double ratio = arrow / caffeine;
                logRatios += Math.log(ratio);
                cases++;
                worst = Math.min(worst, ratio);
                rows.add(String.format(Locale.ROOT, "| %s | %,d | %.2f | %.2f | %.2f | %.2f | %.3f |",
                        workload.name().toLowerCase(Locale.ROOT), size, optimum * 100, lru * 100, caffeine * 100,
                        arrow * 100, ratio));
                for (Map.Entry<String, Double> result : Map.of("OPT", optimum, "LRU", lru, "Caffeine", caffeine,
                        "ArrowCache", arrow).entrySet()) {
                    tsv.add(String.format(Locale.ROOT, "%s\t%d\t%s\t%.4f", workload.name().toLowerCase(Locale.ROOT),
                            size, result.getKey(), result.getValue() * 100));
                }
            }
        }
        System.out.println("| shape | size | OPT % | LRU % | Caffeine % | ArrowCache % | ArrowCache / Caffeine |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "| geometric mean of %d cases | | | | | | %.3f |%n", cases,
                Math.exp(logRatios / cases));
        System.out.printf(Locale.ROOT, "%nlowest ratio %.3f%n", worst);
        if (args.length > 0) {
            Files.write(Path.of(args[0]), tsv, StandardCharsets.UTF_8);
        }
    }

    static double arrow(int[] keys, int size) {
        ArrowCache<Integer, Integer> cache = ArrowCache.builder().maxEntries(size).build();
        return replay(keys, cache::get);
    }

    static double caffeine(int[] keys, int size) {
        Cache<Integer, Integer> cache = Caffeine.newBuilder().maximumSize(size).executor(Runnable::run).build();
        return replay(keys, cache::get);
    }

    static double lru(int[] keys, int size) {
        Map<Integer, Integer> cache = new LinkedHashMap<>(size * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Integer> eldest) {
                return size() > size;
            }
        };
        return replay(keys, cache::computeIfAbsent);
    }

    /** Belady's MIN: on a miss with the cache full, drops whichever key, the new one included, is next used last. */
    static double belady(int[] keys, int size) {
        int[] ids = new int[keys.length];
        Map<Integer, Integer> idOfKey = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            ids[i] = idOfKey.computeIfAbsent(keys[i], key -> idOfKey.size());
        }
        int[] nextUse = new int[keys.length];
        int[] upcoming = new int[idOfKey.size()];
        Arrays.fill(upcoming, Integer.MAX_VALUE);
        for (int i = keys.length - 1; i >= 0; i--) {
            nextUse[i] = upcoming[ids[i]];
            upcoming[ids[i]] = i;
        }
        // the resident keys by next use, furthest first; an element is stale once its key's next use has moved on
        PriorityQueue<Long> furthest = new PriorityQueue<>((a, b) -> Long.compare(b, a));
        int[] residentUntil = new int[idOfKey.size()];
        Arrays.fill(residentUntil, -1);
        int resident = 0;
        long hits = 0;
        for (int i = 0; i < keys.length; i++) {
            int id = ids[i];
            if (residentUntil[id] == i) {
                hits++;
            } else if (resident < size) {
                resident++;
            } else {
                while (residentUntil[(int) (long) furthest.peek()] != (int) (furthest.peek() >>> 32)) {
                    furthest.poll();
                }
                long evicted = furthest.peek();
                if ((int) (evicted >>> 32) <= nextUse[i]) {
                    continue; // the new key is needed last: not admitting it is the better choice
                }
                furthest.poll();
                residentUntil[(int) evicted] = -1;
            }
            residentUntil[id] = nextUse[i];
            furthest.add((long) nextUse[i] << 32 | id);
        }
        return (double) hits / keys.length;
    }

    private static double replay(int[] keys, Reader reader) {
        long[] loads = new long[1];
        Function<Integer, Integer> loader = key -> {
            loads[0]++;
            return key;
        };
        for (int key : keys) {
            reader.get(key, loader);
        }
        return (double) (keys.length - loads[0]) / keys.length;
    }

    @FunctionalInterface
    private interface Reader {
        Integer get(Integer key, Function<Integer, Integer> loader);
    }
}
