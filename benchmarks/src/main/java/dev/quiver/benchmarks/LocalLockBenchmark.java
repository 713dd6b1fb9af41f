package dev.quiver.benchmarks;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import dev.quiver.locks.Permit;
import dev.quiver.locks.SealLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of one uncontended acquire-and-release cycle of an in-process lock: {@link SealLock} (through its permit,
 * and through {@code tryAcquire()}/{@code release()}) beside {@link ReentrantLock} and a one-permit
 * {@link Semaphore}.
 * <p>
 * Workload: a single thread takes a free lock and gives it back, over and over, so the number measured is the fast
 * path alone (no queueing, no hand-off). {@code SEAL_LOCK} is the shape most callers write
 * ({@code acquire().join()}, then {@code permit.close()}) and pays for the pre-completed future and the permit it
 * creates, unless the JIT's escape analysis removes them; {@code SEAL_LOCK_TRY} is the allocation-free path. The target is a SealLock cycle within 1.5 times a
 * ReentrantLock cycle.
 * <p>
 * Run it with:
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar LocalLock -f 1 -wi 2 -w 2s -i 3 -r 2s -bm avgt -tu ns
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LocalLockBenchmark {

    /** The lock under test. */
    @Param
    LockType lockType;

    private LocalLock lock;

    /**
     * Creates a fresh, free lock of the chosen type for each benchmark thread.
     */
    @Setup
    public void createLock() {
        this.lock = this.lockType.create();
    }

    /**
     * Takes the free lock and gives it back.
     */
    @Benchmark
    public void acquireAndRelease() {
        this.lock.acquireAndRelease();
    }

    /**
     * The locks compared, each behind the same small facade.
     */
    public enum LockType {

        /** {@code SealLock.acquire().join()}, then {@code Permit.close()}. */
        SEAL_LOCK {
            @Override
            LocalLock create() {
                SealLock seal = new SealLock("benchmark");
                return () -> {
                    Permit permit = seal.acquire().join();
                    permit.close();
                };
            }
        },

        /** {@code SealLock.tryAcquire()}, then {@code SealLock.release()}. */
        SEAL_LOCK_TRY {
            @Override
            LocalLock create() {
                SealLock seal = new SealLock("benchmark");
                return () -> {
                    if (!seal.tryAcquire()) {
                        throw new IllegalStateException("an uncontended lock was taken");
                    }
                    seal.release();
                };
            }
        },

        /** {@code ReentrantLock.lock()}, then {@code unlock()}: the reference. */
        REENTRANT_LOCK {
            @Override
            LocalLock create() {
                ReentrantLock reentrant = new ReentrantLock();
                return () -> {
                    reentrant.lock();
                    reentrant.unlock();
                };
            }
        },

        /** {@code Semaphore(1).acquireUninterruptibly()}, then {@code release()}. */
        SEMAPHORE {
            @Override
            LocalLock create() {
                Semaphore semaphore = new Semaphore(1);
                return () -> {
                    semaphore.acquireUninterruptibly();
                    semaphore.release();
                };
            }
        };

        abstract LocalLock create();
    }

    /**
     * What the benchmark does with any of the locks: take it, then give it back. The whole cycle sits behind one
     * call so that, as in caller code, a SealLock permit lives in a local variable rather than in a heap field.
     */
    @FunctionalInterface
    interface LocalLock {

        void acquireAndRelease();
    }
}
