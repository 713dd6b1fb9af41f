package dev.quiver.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Prints the results of one {@code benchmarks/run.sh} as one markdown table: scenario, implementation, score, unit,
 * the ratio of Quiver's implementation to each peer, the target and whether it was met.
 * <p>
 * It reads every {@code *.json} file of a directory as JMH results ({@code -rf json}), and every {@code *.tsv} file
 * as lines of the timed harnesses ({@code scenario, implementation, score, unit, note}); a harness that ran an
 * implementation several times gives the median of its runs. An implementation's JMH score
 * is the median of all its measured iterations, pooled over every fork of every file that holds it: {@code run.sh}
 * runs the noisiest scenarios as forks taking turns with their peers'; each fork's median is listed in a note. Ratios
 * are of medians from the same run: time ratios for time units, throughput ratios otherwise. Run it with:
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.quiver.benchmarks.ResultsTable RESULTS_DIRECTORY
 * </pre>
 */
public final class ResultsTable {

    /** The scenario of each benchmark class, in the order of the issue. */
    private static final Map<String, String> SCENARIOS = new LinkedHashMap<>();

    /** The targets, each a Quiver implementation against a peer (or against a bound when the peer is null). */
    private static final List<Target> TARGETS = new ArrayList<>();

    static {
        SCENARIOS.put("CacheHitBenchmark", "1 Cache hit reads (Zipf, 2,000 entries, 2 threads)");
        SCENARIOS.put("CacheMixedBenchmark", "2 Cache 90% get-with-loader / 10% set (100,000 keys, 2 threads)");
        SCENARIOS.put("LocalLockBenchmark", "3 Local lock uncontended (1 thread)");
        SCENARIOS.put("LocalLockContentionBenchmark", "3 Local lock contended (64 async acquirers)");
        SCENARIOS.put("RedisLockBenchmark", "4 Redis lock uncontended (1 thread)");
        SCENARIOS.put("DictBatchBenchmark", "6 Dict mget (1,000 keys, 2 threads)");

        TARGETS.add(new Target("1 ", "ARROW", "CONCURRENT_HASH_MAP", true, 0.8));
        TARGETS.add(new Target("1 ", "ARROW", "CAFFEINE", true, 4.0));
        TARGETS.add(new Target("1 ", "ARROW_WITHOUT_STATS", "CONCURRENT_HASH_MAP", true, 0));
        TARGETS.add(new Target("1 ", "CONCURRENT_HASH_MAP_OF_EXPIRING", "CONCURRENT_HASH_MAP", true, 0));
        TARGETS.add(new Target("2 Cache 90%", "ARROW", "CAFFEINE", true, 1.0));
        TARGETS.add(new Target("2 Cache hit rate", "ARROW", "CAFFEINE", true, 0.9));
        TARGETS.add(new Target("3 Local lock uncontended", "SEAL_LOCK", "REENTRANT_LOCK", false, 1.5));
        TARGETS.add(new Target("3 Local lock contended", "SEAL_LOCK", "EXECUTOR_LOOP_LOCK", true, 3.0));
        TARGETS.add(new Target("3 Local lock contended", "SEAL_LOCK", "EXECUTOR_REENTRANT_LOCK", true, 0));
        TARGETS.add(new Target("4 Redis lock uncontended (", "REDIS_LOCK", "REDISSON", false, 0.8));
        TARGETS.add(new Target("4 Redis lock uncontended (", "REDIS_LOCK", "LETTUCE_FLOOR", false, 1.05));
        TARGETS.add(new Target("4 Redis lock uncontended (", "REDIS_LOCK_RENEWED", "LETTUCE_FLOOR", false, 1.05));
        // like for like: Redisson's lock() renews its lease too (no target)
        TARGETS.add(new Target("4 Redis lock uncontended (", "REDIS_LOCK_RENEWED", "REDISSON", false, 0));
        TARGETS.add(new Target("4 Redis lock uncontended: client", "REDIS_LOCK", "LETTUCE_FLOOR", false, 1.0));
        TARGETS.add(new Target("4 Redis lock uncontended: client", "REDIS_LOCK_RENEWED", "LETTUCE_FLOOR", false, 1.0));
        TARGETS.add(new Target("4 Redis lock uncontended: server", "REDIS_LOCK", "LETTUCE_FLOOR", false, 0));
        TARGETS.add(new Target("4 Redis lock uncontended: server", "REDIS_LOCK_RENEWED", "LETTUCE_FLOOR", false, 0));
        TARGETS.add(new Target("5 Redis lock contended (", "REDIS_LOCK", "REDISSON", true, 3.0));
        TARGETS.add(new Target("5 Redis lock contended (", "REDIS_LOCK_DIRECT_EXECUTOR", "REDISSON", true, 0));
        TARGETS.add(new Target("5 Redis lock contended: client", "REDIS_LOCK", null, false, 3.0));
        TARGETS.add(new Target("5 Redis lock contended: p99", "REDIS_LOCK", "REDISSON", false, 0));
        TARGETS.add(new Target("5 Redis lock contended across 4 JVMs (", "REDIS_LOCK", "REDISSON", true, 2.0));
        TARGETS.add(new Target("5 Redis lock contended across JVMs: share", "REDIS_LOCK", null, false, 1.5));
        TARGETS.add(new Target("5 Redis lock contended across JVMs: p99", "REDIS_LOCK", "REDISSON", false, 0));
        TARGETS.add(new Target("6 Dict mget (", "REDIS_DEFAULT_DICT", "LETTUCE_MGET", false, 1.3));
        TARGETS.add(new Target("6 Dict mget (", "REDIS_DEFAULT_DICT", "SPRING_MGET", false, 0));
        TARGETS.add(new Target("6 Dict mget (", "SPRING_MGET", "LETTUCE_MGET", false, 0));
        TARGETS.add(new Target("6 Dict mget commands", "REDIS_DEFAULT_DICT", null, false, 1.0));
        for (String factory : List.of("REDIS_LOCKS", "SEAL_LOCKS")) {
            TARGETS.add(new Target("7 Lock factory scale: heap", factory, null, false, 8.0));
            TARGETS.add(new Target("7 Lock factory scale: meters", factory, null, false, 0.0));
        }
    }

    private ResultsTable() {
    }

    /**
     * Prints the table.
     *
     * @param args the directory of the results
     * @throws IOException if a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path directory = Path.of(args[0]);
        List<Row> rows = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(directory)) {
            files = listing.sorted().toList();
        }
        JsonMapper mapper = JsonMapper.builder().build();
        Map<List<String>, JmhForks> jmh = new LinkedHashMap<>();
        Map<List<String>, List<Row>> harness = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (name.endsWith(".json")) {
                readJmh(mapper.readTree(file.toFile()), jmh);
            }
            else if (name.endsWith(".tsv")) {
                readHarness(Files.readAllLines(file, StandardCharsets.UTF_8), harness);
            }
        }
        jmh.forEach((key, forks) -> rows.add(forks.row(key.get(0), key.get(1))));
        harness.forEach((key, runs) -> rows.add(pooled(runs)));
        rows.sort((a, b) -> a.scenario().compareTo(b.scenario()));
        System.out.print(render(rows));
    }

    private static void readJmh(JsonNode results, Map<List<String>, JmhForks> jmh) {
        for (JsonNode result : results) {
            String benchmark = result.get("benchmark").asString();
            String[] parts = benchmark.split("\\.");
            String className = parts[parts.length - 2];
            String scenario = SCENARIOS.getOrDefault(className, className);
            JsonNode params = result.get("params");
            String implementation = parts[parts.length - 1];
            if (params != null) {
                for (JsonNode value : params) {
                    // each benchmark has one parameter: the implementation
                    implementation = value.asString();
                }
            }
            JsonNode metric = result.get("primaryMetric");
            String unit = metric.get("scoreUnit").asString();
            JmhForks forks = jmh.computeIfAbsent(List.of(scenario, implementation),
                    (key) -> new JmhForks(unit, new ArrayList<>()));
            if (!forks.unit().equals(unit)) {
                throw new IllegalStateException(benchmark + " " + implementation + " measured in " + unit
                        + " here and in " + forks.unit() + " in another file: its iterations cannot be pooled");
            }
            for (JsonNode fork : metric.get("rawData")) {
                forks.iterations().add(fork.valueStream().mapToDouble(JsonNode::asDouble).toArray());
            }
        }
    }

    private static void readHarness(List<String> lines, Map<List<String>, List<Row>> harness) {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            harness.computeIfAbsent(List.of(fields[0], fields[1]), (key) -> new ArrayList<>())
                .add(new Row(fields[0], fields[1], Double.parseDouble(fields[2]), fields[3],
                        (fields.length > 4) ? fields[4] : ""));
        }
    }

    /**
     * One row for the runs of a harness that ran an implementation more than once (taking turns with its peers): the
     * median score, with every run's score and the notes of each run.
     */
    static Row pooled(List<Row> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        double[] scores = runs.stream().mapToDouble(Row::score).toArray();
        List<String> notes = runs.stream().map(Row::note).filter((note) -> !note.isEmpty()).toList();
        String note = runs.size() + " runs, " + String.join(", ", Arrays.stream(scores).mapToObj(ResultsTable::format)
            .toList()) + (notes.isEmpty() ? "" : "; " + String.join(" | ", notes));
        Row first = runs.get(0);
        return new Row(first.scenario(), first.implementation(), JmhForks.median(scores), first.unit(), note);
    }

    static String render(List<Row> rows) {
        StringBuilder table = new StringBuilder();
        table.append("| scenario | implementation | score | unit | ratio to peer | target | met |\n");
        table.append("|---|---|---:|---|---|---|---|\n");
        List<String> notes = new ArrayList<>();
        for (Row row : rows) {
            List<String> ratios = new ArrayList<>();
            List<String> targets = new ArrayList<>();
            List<String> met = new ArrayList<>();
            for (Target target : TARGETS) {
                if (!row.scenario().startsWith(target.scenarioPrefix())
                        || !row.implementation().equals(target.implementation())) {
                    continue;
                }
                String op = target.atLeast() ? "≥ " : "≤ ";
                if (target.peer() == null) {
                    targets.add(op + format(target.bound()));
                    met.add(yesNo(target.atLeast() ? row.score() >= target.bound() : row.score() <= target.bound()));
                    continue;
                }
                Row peer = find(rows, row.scenario(), target.peer());
                if (peer == null) {
                    continue;
                }
                double ratio = row.score() / peer.score();
                ratios.add(format(ratio) + "× " + target.peer());
                if (target.bound() > 0) {
                    targets.add(op + format(target.bound()) + "× " + target.peer());
                    met.add(yesNo(target.atLeast() ? ratio >= target.bound() : ratio <= target.bound()));
                }
            }
            table.append("| ").append(row.scenario()).append(" | ").append(row.implementation()).append(" | ")
                .append(format(row.score())).append(" | ").append(row.unit()).append(" | ")
                .append(String.join("; ", ratios)).append(" | ").append(String.join("; ", targets)).append(" | ")
                .append(String.join("; ", met)).append(" |\n");
            if (!row.note().isEmpty()) {
                notes.add("- " + row.scenario() + ", " + row.implementation() + ": " + row.note());
            }
        }
        if (!notes.isEmpty()) {
            table.append('\n');
            notes.forEach((note) -> table.append(note).append('\n'));
        }
        return table.toString();
    }

    private static Row find(List<Row> rows, String scenario, String implementation) {
        for (Row row : rows) {
            if (row.scenario().equals(scenario) && row.implementation().equals(implementation)) {
                return row;
            }
        }
        return null;
    }

    private static String yesNo(boolean met) {
        return met ? "yes" : "**no**";
    }

    private static String format(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /**
     * The measured iterations of one implementation in one scenario, an array per fork.
     *
     * @param unit JMH's score unit
     * @param iterations each fork's measured iterations
     */
    record JmhForks(String unit, List<double[]> iterations) {

        /** The median of every iteration of every fork; with more than one fork, a note of each fork's median. */
        Row row(String scenario, String implementation) {
            double median = median(this.iterations.stream().flatMapToDouble(Arrays::stream).toArray());
            String note = "";
            if (this.iterations.size() > 1) {
                note = this.iterations.size() + " forks, medians "
                        + String.join(", ", this.iterations.stream().map((fork) -> format(median(fork))).toList());
            }
            return new Row(scenario, implementation, median, this.unit, note);
        }

        static double median(double[] values) {
            if (values.length == 0) {
                throw new IllegalArgumentException("no measured iterations");
            }
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int middle = sorted.length / 2;
            return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        }
    }

    /**
     * One implementation's median in one scenario.
     */
    record Row(String scenario, String implementation, double score, String unit, String note) {
    }

    /**
     * A target: Quiver's implementation against a peer's, as a ratio bound (zero: report the ratio only), or
     * against an absolute bound when {@code peer} is null.
     */
    record Target(String scenarioPrefix, String implementation, String peer, boolean atLeast, double bound) {
    }
}
