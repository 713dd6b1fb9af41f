package dev.quiver.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 1, mutual exclusion across processes: four JVMs, eight asynchronous tasks each, 250 increments per task of
 * a non-atomic counter, each increment under one {@link dev.quiver.locks.RedisLock}. The counter must end at exactly
 * 8,000, and the holders tracker must never have seen two holders inside at once. A control run without the lock
 * shows that the counter and the tracker do catch a missing lock.
 */
@Tag("reliability")
@RedisTest
class LockMutualExclusionAcrossProcessesTest {

    private static final int PROCESSES = 4;

    private static final int TASKS = 8;

    private static final int INCREMENTS = 250;

    private static final Pattern RESULT = Pattern.compile(
            "RESULT process=(\\S+) acquisitions=(\\d+) overlaps=(\\d+) maxWaitMs=(\\d+) elapsedMs=(\\d+)");

    private LettuceConnectionFactory factory;

    private StringRedisTemplate redis;

    @BeforeEach
    void connect(RedisEndpoint endpoint) {
        this.factory = endpoint.newConnectionFactory();
        this.redis = new StringRedisTemplate(this.factory);
    }

    @AfterEach
    void disconnect() {
        this.factory.destroy();
    }

    @Test
    void fourJvmsOfEightTasksIncrementANonAtomicCounterToExactlyEightThousandWithoutOverlap(RedisEndpoint endpoint)
            throws Exception {
        List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < PROCESSES; i++) {
                children.add(ChildJvm.start(LockContenderMain.class, endpoint.url(), "counter", String.valueOf(TASKS),
                        String.valueOf(INCREMENTS), String.valueOf(i + 1)));
            }
            awaitReady(children);
            long start = System.nanoTime();
            this.redis.opsForValue().set(LockContenderMain.GO, "1");
            List<String> outputs = new ArrayList<>();
            for (ChildJvm child : children) {
                int exit = child.awaitExit(150);
                outputs.add(child.output());
                assertThat(exit).as("exit code of a contender; its output:%n%s", child.output()).isZero();
            }
            long elapsedMillis = Figures.millisSince(start);

            long acquisitions = 0;
            long overlapsSeenByChildren = 0;
            long maxWaitMillis = 0;
            for (String output : outputs) {
                Matcher result = RESULT.matcher(output);
                assertThat(result.find()).as("a RESULT line in%n%s", output).isTrue();
                acquisitions += Long.parseLong(result.group(2));
                overlapsSeenByChildren += Long.parseLong(result.group(3));
                maxWaitMillis = Math.max(maxWaitMillis, Long.parseLong(result.group(4)));
            }
            GuardedCounter counter = new GuardedCounter(this.redis);
            int expected = PROCESSES * TASKS * INCREMENTS;
            assertThat(acquisitions).isEqualTo(expected);
            assertThat(counter.counter()).as("the non-atomic counter").isEqualTo(expected);
            assertThat(counter.overlaps()).as("entries that found another holder inside").isZero();
            assertThat(overlapsSeenByChildren).isZero();
            assertThat(counter.holders()).as("holders inside after the run").isZero();
            assertThat(this.redis.hasKey("quiver:lock:counter")).as("lock key after the run").isFalse();
            Figures.report(1, "%d JVMs x %d async tasks x %d increments = %d acquisitions in %d ms (%.0f/s); "
                    + "counter=%d (expected %d), overlaps=0, longest wait for the lock %d ms", PROCESSES, TASKS,
                    INCREMENTS, acquisitions, elapsedMillis, acquisitions * 1000.0 / Math.max(1, elapsedMillis),
                    counter.counter(), expected, maxWaitMillis);
        }
        finally {
            children.forEach(ChildJvm::close);
        }
    }

    @Test
    void withoutTheLockTheSameTasksLoseIncrementsAndTheTrackerSeesOverlaps() throws Exception {
        GuardedCounter counter = new GuardedCounter(this.redis);
        int threads = 8;
        int increments = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                running.add(pool.submit(() -> {
                    for (int n = 0; n < increments; n++) {
                        counter.increment();
                    }
                }));
            }
            for (Future<?> task : running) {
                task.get();
            }
        }
        finally {
            pool.shutdownNow();
        }
        assertThat(counter.overlaps()).as("overlaps the tracker saw without a lock").isPositive();
        assertThat(counter.counter()).as("the counter without a lock").isLessThan(threads * increments);
        Figures.report(1, "control without the lock: %d threads x %d increments gave counter=%d and %d overlaps "
                + "(the tracker detects a missing lock)", threads, increments, counter.counter(), counter.overlaps());
    }

    private void awaitReady(List<ChildJvm> children) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            String ready = this.redis.opsForValue().get(LockContenderMain.READY);
            if (ready != null && Integer.parseInt(ready) == children.size()) {
                return;
            }
            for (ChildJvm child : children) {
                assertThat(child.process().isAlive()).as("a contender died before the start; its output:%n%s",
                        child.output()).isTrue();
            }
            assertThat(System.nanoTime()).as("all contenders ready within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
