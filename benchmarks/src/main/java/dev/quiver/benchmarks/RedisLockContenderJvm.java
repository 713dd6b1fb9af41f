package dev.quiver.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;
import java.util.zip.DataFormatException;

import dev.quiver.benchmarks.RedisLockContention.Contenders;
import dev.quiver.benchmarks.RedisLockContention.Counting;
import dev.quiver.benchmarks.RedisLockContention.Implementation;
import org.HdrHistogram.Histogram;

/**
 * One process of {@link RedisLockContentionAcrossJvms}: its acquirers contend for the lock from the moment it starts,
 * and it reports what happened between the {@code start} and {@code stop} lines its parent writes to its standard
 * input.
 * <p>
 * It prints {@value #READY} once each of its acquirers has held the lock and, after {@code stop}, one line
 * {@value #RESULT}{@code  COUNTS OVERLAPS WAITS}: the acquisitions of each acquirer in the window (comma-separated),
 * the holds that overlapped another hold of this process, and the window's waits as a compressed HdrHistogram in
 * Base64. Anything else on its standard output (the clients' logs) is not for the parent.
 */
public final class RedisLockContenderJvm {

    /** The line that says the acquirers run. */
    static final String READY = "quiver-contender-ready";

    /** The start of the result line. */
    static final String RESULT = "quiver-contender-result";

    private RedisLockContenderJvm() {
    }

    /**
     * Runs one contending process.
     *
     * @param args the implementation ({@code REDIS_LOCK} or {@code REDISSON}), the lock key and the number of
     *        acquirers
     * @throws Exception if the run fails
     */
    public static void main(String[] args) throws Exception {
        Implementation implementation = Implementation.valueOf(args[0]);
        String key = args[1];
        int acquirers = Integer.parseInt(args[2]);
        BufferedReader parent = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Counting counting = new Counting(acquirers);
        Contenders contenders = implementation.start(key, acquirers, counting);
        long[] start;
        long[] end;
        Histogram waits;
        try {
            counting.awaitEveryAcquirer(120);
            System.out.println(READY);
            expect(parent, "start");
            start = counting.snapshot();
            counting.waitsSinceLast();
            expect(parent, "stop");
            end = counting.snapshot();
            waits = counting.waitsSinceLast();
        }
        finally {
            counting.stop();
            contenders.close();
        }
        long[] window = new long[acquirers];
        Arrays.setAll(window, (i) -> end[i] - start[i]);
        String counts = Arrays.stream(window).mapToObj(Long::toString).collect(Collectors.joining(","));
        System.out.println(RESULT + " " + counts + " " + counting.violations() + " " + encode(waits));
        System.exit(0);
    }

    private static void expect(BufferedReader parent, String command) throws IOException {
        String line = parent.readLine();
        if (!command.equals(line)) {
            throw new IllegalStateException("expected '" + command + "' from the parent, got " + line);
        }
    }

    static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(Arrays.copyOf(buffer.array(), length));
    }

    static Histogram decode(String base64) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        }
        catch (DataFormatException ex) {
            throw new IllegalArgumentException("not a compressed histogram: " + ex.getMessage(), ex);
        }
    }
}
