package dev.quiver.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long a cache line takes to go from one core to another and back, as two threads hand a counter to
 * each other: the price of every write that the other core reads next.
 * <p>
 * On the small virtual machines the benchmarks run on, this figure is not fixed: the two cores may lie close
 * together or far apart (round trips from about 90 ns to about 470 ns on one day here), and it changes while a run
 * goes on. The multi-threaded scenarios whose threads share written data (scenario 2 most) follow it, so
 * {@code run.sh} measures it at the start, after scenario 2 and at the end, and the table shows it.
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.quiver.benchmarks.CoreToCoreLatency LABEL [results.tsv]
 * }</pre>
 */
public final class CoreToCoreLatency {

    private static final int ROUND_TRIPS = 500_000;

    private static final int REPEATS = 5;

    private CoreToCoreLatency() {
    }

    /**
     * Measures the round trip and prints it; given a file, also appends it there as a line {@link ResultsTable}
     * reads.
     *
     * @param args the label of this measurement (such as {@code AT_START}) and optionally the results file
     * @throws IOException if the results cannot be written
     * @throws InterruptedException if interrupted while the threads run
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        String label = (args.length > 0) ? args[0] : "NOW";
        double[] nanos = new double[REPEATS];
        roundTripNanos();
        for (int i = 0; i < REPEATS; i++) {
            nanos[i] = roundTripNanos();
        }
        Arrays.sort(nanos);
        double median = nanos[REPEATS / 2];
        System.out.printf(Locale.ROOT, "core-to-core round trip %s: median %.0f ns of %s%n", label, median,
                Arrays.toString(nanos));
        if (args.length > 1) {
            Files.write(Path.of(args[1]),
                    List.of(String.join("\t", "0 Machine: cache line from core to core and back (2 threads)", label,
                            String.format(Locale.ROOT, "%.0f", median), "ns", "")),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    /** One run: the main thread writes odd values, the other answers each with the next even one. */
    private static double roundTripNanos() throws InterruptedException {
        AtomicLong ball = new AtomicLong();
        Thread answering = new Thread(() -> {
            for (long i = 0; i < ROUND_TRIPS; i++) {
                while (ball.get() != 2 * i + 1) {
                    Thread.onSpinWait();
                }
                ball.set(2 * i + 2);
            }
        }, "core-to-core-answer");
        answering.start();
        long start = System.nanoTime();
        for (long i = 0; i < ROUND_TRIPS; i++) {
            ball.set(2 * i + 1);
            while (ball.get() != 2 * i + 2) {
                Thread.onSpinWait();
            }
        }
        long elapsed = System.nanoTime() - start;
        answering.join();
        return (double) elapsed / ROUND_TRIPS;
    }
}
