package dev.quiver.locks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.quiver.testsupport.Pause;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link LockTimer}, each on a timer of its own.
 */
class LockTimerTest {

    private static final long MILLI = TimeUnit.MILLISECONDS.toNanos(1);

    private final LockTimer timer = new LockTimer("lock-timer-test");

    @AfterEach
    void close() {
        this.timer.close();
    }

    @Test
    void runsEachTaskOnceNoEarlierThanItsDelayInDeadlineOrder() throws InterruptedException {
        ConcurrentLinkedQueue<String> order = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> early = new ConcurrentLinkedQueue<>();
        CountDownLatch warm = new CountDownLatch(1);
        this.timer.after(0, warm::countDown);
        assertThat(warm.await(5, TimeUnit.SECONDS)).isTrue();
        // 200 ms apart, so that a stall of the scheduling thread cannot reorder them
        CountDownLatch done = new CountDownLatch(4);
        for (String name : List.of("c:600", "a:200", "b:400", "b2:400")) {
            long delay = Long.parseLong(name.substring(name.indexOf(':') + 1)) * MILLI;
            long start = System.nanoTime();
            this.timer.after(delay, () -> {
                if (System.nanoTime() - start < delay) {
                    early.add(name);
                }
                order.add(name);
                done.countDown();
            });
        }

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("a:200", "b:400", "b2:400", "c:600");
        assertThat(early).isEmpty();
    }

    @Test
    void anEarlierTimeoutIsNotHeldUpByTheLaterOneArmedBeforeIt() throws InterruptedException {
        AtomicInteger late = new AtomicInteger();
        this.timer.after(Duration.ofSeconds(10).toNanos(), late::incrementAndGet);
        CountDownLatch early = new CountDownLatch(1);
        this.timer.after(20 * MILLI, early::countDown);

        assertThat(early.await(5, TimeUnit.SECONDS)).as("run well before the 10 s timeout armed first").isTrue();
        assertThat(late).hasValue(0);
    }

    @Test
    void timeoutsLaterThanTheArmedOneDoNotArmTheThreadAgain() throws Exception {
        this.timer.after(Duration.ofSeconds(30).toNanos(), () -> { });
        long armed = this.timer.armings();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> scheduling = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                scheduling.add(threads.submit(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        this.timer.after(Duration.ofSeconds(60).toNanos(), () -> { }).cancel();
                    }
                }));
            }
            for (Future<?> future : scheduling) {
                future.get(10, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }

        assertThat(armed).isEqualTo(1);
        assertThat(this.timer.armings()).as("4,000 later timeouts armed nothing").isEqualTo(armed);
    }

    @Test
    void aCancelledTaskNeverRunsAndCancelSaysWhetherItKeptItFromRunning() throws InterruptedException {
        AtomicInteger cancelledRuns = new AtomicInteger();
        LockTimer.Timeout cancelled = this.timer.after(200 * MILLI, cancelledRuns::incrementAndGet);
        CountDownLatch ran = new CountDownLatch(1);
        LockTimer.Timeout run = this.timer.after(300 * MILLI, ran::countDown);

        assertThat(cancelled.cancel()).isTrue();
        assertThat(cancelled.cancel()).as("cancelled already").isFalse();
        // tasks run in deadline order on one thread: once the later one ran, the cancelled one's time has passed
        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(run.cancel()).as("ran already").isFalse();
        assertThat(cancelledRuns).hasValue(0);
    }

    @Test
    void aTaskThatThrowsIsReportedAndTheTasksAfterItStillRun() throws InterruptedException {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        this.timer.after(5 * MILLI, () -> {
            Thread.currentThread().setUncaughtExceptionHandler((thread, failure) -> reported.set(failure));
            throw new IllegalStateException("task failed");
        });
        CountDownLatch next = new CountDownLatch(1);
        this.timer.after(10 * MILLI, next::countDown);

        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(reported.get()).isInstanceOf(IllegalStateException.class).hasMessage("task failed");
    }

    @Test
    void racingSchedulesAndCancelsRunEveryTaskNotCancelledExactlyOnceAndNoneEarly() throws Exception {
        int threadCount = 8;
        int perThread = 500;
        ConcurrentLinkedQueue<Tracked> all = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(threadCount);
        try {
            List<Future<?>> scheduling = new ArrayList<>();
            for (int t = 0; t < threadCount; t++) {
                scheduling.add(threads.submit(() -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    List<Tracked> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        Tracked task = new Tracked(random.nextLong(20 * MILLI));
                        task.timeout = this.timer.after(task.delay, task::run);
                        mine.add(task);
                        // cancel some at once, some a little later, racing the sweep that runs them
                        if (random.nextInt(3) == 0) {
                            Tracked victim = mine.get(random.nextInt(mine.size()));
                            victim.cancelled = victim.cancelled || victim.timeout.cancel();
                        }
                        if (i % 50 == 0) {
                            Pause.millis(1);
                        }
                    }
                    all.addAll(mine);
                    return null;
                }));
            }
            for (Future<?> future : scheduling) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            threads.shutdownNow();
        }

        assertThat(all).hasSize(threadCount * perThread);
        // every task's deadline is under 20 ms after it was scheduled, all before this one: once it ran, all were due
        CountDownLatch last = new CountDownLatch(1);
        this.timer.after(20 * MILLI, last::countDown);
        assertThat(last.await(10, TimeUnit.SECONDS)).isTrue();
        for (Tracked task : all) {
            assertThat(task.runs.get()).as("runs of a task cancelled: %s", task.cancelled)
                .isEqualTo(task.cancelled ? 0 : 1);
            if (!task.cancelled) {
                assertThat(task.ranAt.get() - task.scheduledAt).as("ran after its delay").isGreaterThanOrEqualTo(
                        task.delay);
            }
        }
        assertThat(all.stream().filter((task) -> task.cancelled)).as("the race cancelled some").isNotEmpty();
    }

    /** A task that records when and how often it ran. */
    private static final class Tracked {

        final long delay;

        final long scheduledAt = System.nanoTime();

        final AtomicInteger runs = new AtomicInteger();

        final AtomicLong ranAt = new AtomicLong();

        LockTimer.Timeout timeout;

        volatile boolean cancelled;

        Tracked(long delay) {
            this.delay = delay;
        }

        void run() {
            this.ranAt.set(System.nanoTime());
            this.runs.incrementAndGet();
        }
    }
}
