package dev.quiver.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.quiver.locks.SealLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * Hand-offs per second of an in-process lock that 64 asynchronous acquirers contend for: {@link SealLock} beside
 * blocking locks run on a fixed thread pool, which is what the original Python did with
 * {@code loop.run_in_executor(None, lock.acquire)}.
 * <p>
 * Workload: each invocation starts {@value #ACQUIRERS} acquirers that each take the lock {@value #ROUNDS} times,
 * bump a counter while holding it and release it, and waits until all are done; a score is hand-offs per second.
 * A SealLock acquirer is a chain {@code acquire().thenRun(work).thenRun(release)} that parks no thread while it
 * waits; the acquirers line up behind the benchmark thread, which holds the lock while it starts them, so every
 * acquisition after that is a FIFO hand-off (each release grants the next waiter, whose chain re-queues it). An
 * executor acquirer is a task on a pool of {@value #POOL_THREADS} threads (Python's default executor on two cores:
 * cores + 4). {@code EXECUTOR_REENTRANT_LOCK} is the kindest form for a blocking lock: one pool task
 * blocks in {@code lock()}, does the work, unlocks and submits its next round, so the lock is never held across a
 * thread hop. {@code EXECUTOR_LOOP_LOCK} is Python's form: the pool task blocks until it acquires a lock that any
 * thread may release (a one-permit semaphore, as {@code threading.Lock}), and the work and the release run on one
 * event-loop thread. The benchmark thread only starts the acquirers and waits. Target: SealLock at least 3 times
 * the executor-backed lock.
 * <p>
 * Run it with:
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar LocalLockContention -f 1 -wi 2 -w 2s -i 3 -r 3s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class LocalLockContentionBenchmark {

    /** Acquirers contending at once. */
    static final int ACQUIRERS = 64;

    /** Acquisitions of each acquirer per invocation. */
    static final int ROUNDS = 200;

    /** Threads of the executor that the blocking lock is taken on. */
    static final int POOL_THREADS = 6;

    /** The lock under test. */
    @Param
    ContendedType lockType;

    private ContendedLock lock;

    /**
     * Creates the lock (and, for the blocking one, its executor).
     */
    @Setup
    public void createLock() {
        this.lock = this.lockType.create();
    }

    /**
     * Shuts the executor down, if there is one.
     */
    @TearDown
    public void close() {
        this.lock.close();
    }

    /**
     * Runs {@value #ACQUIRERS} acquirers of {@value #ROUNDS} rounds each to completion.
     *
     * @return the counter, so the work is not dead code
     * @throws InterruptedException if interrupted while waiting
     */
    @Benchmark
    @OperationsPerInvocation(ACQUIRERS * ROUNDS)
    public long handOffs() throws InterruptedException {
        return this.lock.contend(ACQUIRERS, ROUNDS);
    }

    /**
     * The locks compared, each behind the same small facade.
     */
    public enum ContendedType {

        /** Chains of {@code SealLock.acquire().thenRun(work).thenRun(release)}. */
        SEAL_LOCK {
            @Override
            ContendedLock create() {
                SealLock seal = new SealLock("contended");
                return new ContendedLock() {
                    @Override
                    void lineUp(Runnable startAll) {
                        // hold the lock while the acquirers line up, or the first would run all its rounds alone
                        seal.acquire().join();
                        startAll.run();
                        seal.release();
                    }

                    @Override
                    CompletableFuture<?> once() {
                        return seal.acquire().thenRun(this::work).thenRun(seal::release);
                    }
                };
            }
        },

        /** A {@code ReentrantLock} taken, used and released by tasks on a fixed pool. */
        EXECUTOR_REENTRANT_LOCK {
            @Override
            ContendedLock create() {
                ReentrantLock reentrant = new ReentrantLock();
                ExecutorService executor = Executors.newFixedThreadPool(POOL_THREADS);
                return new ContendedLock() {
                    @Override
                    CompletableFuture<?> once() {
                        return CompletableFuture.runAsync(() -> {
                            reentrant.lock();
                            try {
                                work();
                            }
                            finally {
                                reentrant.unlock();
                            }
                        }, executor);
                    }

                    @Override
                    void close() {
                        executor.shutdownNow();
                    }
                };
            }
        },

        /**
         * Python's shape: a one-permit {@link Semaphore} (a lock any thread may release, like {@code threading.Lock})
         * acquired by a blocking task on the pool, then the work and the release on a single event-loop thread.
         */
        EXECUTOR_LOOP_LOCK {
            @Override
            ContendedLock create() {
                Semaphore blocking = new Semaphore(1);
                ExecutorService executor = Executors.newFixedThreadPool(POOL_THREADS);
                ExecutorService loop = Executors.newSingleThreadExecutor();
                return new ContendedLock() {
                    @Override
                    void lineUp(Runnable startAll) {
                        loop.execute(startAll);
                    }

                    @Override
                    CompletableFuture<?> once() {
                        return CompletableFuture.runAsync(blocking::acquireUninterruptibly, executor)
                            .thenRunAsync(() -> {
                                work();
                                blocking.release();
                            }, loop);
                    }

                    @Override
                    void close() {
                        executor.shutdownNow();
                        loop.shutdownNow();
                    }
                };
            }
        };

        abstract ContendedLock create();
    }

    /**
     * What the benchmark does with any of the locks: acquirers that each take the lock, bump a counter and release
     * it, then ask again, {@code rounds} times; the locks differ only in one such round and in how the acquirers
     * start.
     */
    abstract static class ContendedLock {

        private long counter;

        /** One round: takes the lock, calls {@link #work()} while holding it, releases it. */
        abstract CompletableFuture<?> once();

        /** Starts every acquirer's first round; by default on the benchmark's thread. */
        void lineUp(Runnable startAll) {
            startAll.run();
        }

        void close() {
        }

        /** The work done under the lock: a plain increment, which the lock alone orders. */
        final void work() {
            this.counter++;
        }

        final long contend(int acquirers, int rounds) throws InterruptedException {
            CountDownLatch done = new CountDownLatch(acquirers);
            lineUp(() -> {
                for (int i = 0; i < acquirers; i++) {
                    round(rounds, done);
                }
            });
            done.await();
            return this.counter;
        }

        private void round(int remaining, CountDownLatch done) {
            if (remaining == 0) {
                done.countDown();
                return;
            }
            once().thenRun(() -> round(remaining - 1, done));
        }
    }
}
