package dev.quiver.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.quiver.testsupport.ZipfKeys;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.quiver.objects.ArrowCache;

/**
 * Replays one deterministic trace against {@link ArrowCache} and Caffeine and prints their hit rates.
 * <p>
 * Trace: {@value #OPERATIONS} operations on keys drawn from a Zipf distribution (exponent
 * {@value ZipfKeys#DEFAULT_EXPONENT}) over {@value MixedTrace#DISTINCT_KEYS} keys; 90% are reads with a loader
 * ({@code get(key, loader)}), 10% are writes ({@code set}/{@code put}) ({@link MixedTrace}). Both caches are
 * bounded to {@value MixedTrace#MAX_ENTRIES} entries. A hit is a read whose loader was not called. Caffeine runs its
 * maintenance on the calling thread so that its result repeats.
 * <pre>{@code
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.quiver.benchmarks.CacheHitRateTrace \
 *     [operations] [exponent] [results.tsv]
 * }</pre>
 * Given a file, it also appends the two hit rates there as the lines that {@link ResultsTable} reads.
 */
public final class CacheHitRateTrace {

    static final int OPERATIONS = 1_000_000;

    private CacheHitRateTrace() {
    }

    /**
     * Runs the trace.
     *
     * @param args optionally the number of operations, the Zipf exponent and a file to append the results to
     * @throws IOException if the results cannot be written
     */
    public static void main(String[] args) throws IOException {
        int operations = args.length > 0 ? Integer.parseInt(args[0]) : OPERATIONS;
        double exponent = args.length > 1 ? Double.parseDouble(args[1]) : ZipfKeys.DEFAULT_EXPONENT;
        MixedTrace trace = MixedTrace.draw(operations, exponent);
        int[] keys = trace.keys();
        boolean[] writes = trace.writes();

        ArrowCache<Integer, Integer> arrow = ArrowCache.builder().maxEntries(MixedTrace.MAX_ENTRIES).build();
        Result arrowResult = replay(keys, writes, arrow::get, arrow::set);
        Cache<Integer, Integer> caffeine = Caffeine.newBuilder().maximumSize(MixedTrace.MAX_ENTRIES)
                .executor(Runnable::run).build();
        Result caffeineResult = replay(keys, writes, caffeine::get, caffeine::put);

        System.out.printf("trace: %,d operations, %,d keys, Zipf exponent %.2f, %.0f%% writes, bound %,d%n",
                operations, MixedTrace.DISTINCT_KEYS, exponent, MixedTrace.WRITE_SHARE * 100, MixedTrace.MAX_ENTRIES);
        System.out.printf("ArrowCache  %s (size %d)%n", arrowResult, arrow.size());
        System.out.printf("Caffeine    %s (size %d)%n", caffeineResult, caffeine.estimatedSize());
        System.out.printf("ratio       %.3f%n", arrowResult.hitRate() / caffeineResult.hitRate());
        if (args.length > 2) {
            String scenario = String.format(Locale.ROOT, "2 Cache hit rate (same trace, %,d ops, 1 thread)",
                    operations);
            Files.write(Path.of(args[2]), List.of(
                    String.join("\t", scenario, "ARROW",
                            String.format(Locale.ROOT, "%.2f", arrowResult.hitRate() * 100), "% hits", ""),
                    String.join("\t", scenario, "CAFFEINE",
                            String.format(Locale.ROOT, "%.2f", caffeineResult.hitRate() * 100), "% hits", "")),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private static Result replay(int[] keys, boolean[] writes, Reader reader, Writer writer) {
        long[] loads = new long[1];
        Function<Integer, Integer> loader = key -> {
            loads[0]++;
            return key;
        };
        long reads = 0;
        for (int i = 0; i < keys.length; i++) {
            Integer key = keys[i];
            if (writes[i]) {
                writer.put(key, key);
            } else {
                reads++;
                reader.get(key, loader);
            }
        }
        return new Result(reads, reads - loads[0]);
    }

    @FunctionalInterface
    private interface Reader {
        Integer get(Integer key, Function<Integer, Integer> loader);
    }

    @FunctionalInterface
    private interface Writer {
        void put(Integer key, Integer value);
    }

    private record Result(long reads, long hits) {

        double hitRate() {
            return (double) hits / reads;
        }

        @Override
        public String toString() {
            return String.format("hits %,d of %,d reads, hit rate %.4f", hits, reads, hitRate());
        }
    }
}
