package dev.quiver.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The time of one uncontended acquire-and-release of a lock held in Redis: {@link RedisLock} beside Redisson's
 * {@link RLock} and the floor of any such lock, two raw Lettuce round trips on one connection.
 * <p>
 * Workload: one thread (as in the calibration) takes a free lock and gives it back, over and over, on a key of its
 * own. {@code REDIS_LOCK} is the shape callers write, {@code acquire().join()} then {@code Permit.close()}: a
 * {@code SET NX PX} and the compare-and-delete script by {@code EVALSHA}. {@code REDISSON} is {@code lock()} and
 * {@code unlock()}, as in the calibration (Redisson's default: a 30 s lease that a watchdog renews while held).
 * {@code LETTUCE_FLOOR} is {@code SET NX PX} then {@code EVALSHA} of the same release script, synchronously on one
 * raw Lettuce connection. {@code REDIS_LOCK_RENEWED} is {@code REDIS_LOCK} with lease renewal on, and both read the
 * permit's fencing token. Targets: RedisLock within 0.8 times Redisson's time and 1.05 times the floor's, with lease
 * renewal too; {@link RedisLockCommandCount} counts the commands of one cycle.
 * <p>
 * Run it with a Redis at hand ({@code benchmarks/run.sh} starts one):
 * <pre>
 * ./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar RedisLockBenchmark -f 1 -wi 2 -w 2s -i 3 -r 3s \
 *     -jvmArgsAppend -Dquiver.bench.redis=redis://127.0.0.1:6379
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class RedisLockBenchmark {

    /** The lock under test. */
    @Param
    LockType lockType;

    private RemoteLock lock;

    /**
     * Connects the chosen lock to the benchmark Redis.
     */
    @Setup
    public void connect() {
        this.lock = this.lockType.create("quiver:bench:lock:" + UUID.randomUUID());
    }

    /**
     * Disconnects it.
     */
    @TearDown
    public void disconnect() {
        this.lock.close();
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

        /** {@code RedisLock.acquire().join()}, then {@code Permit.close()}. */
        REDIS_LOCK {
            @Override
            RemoteLock create(String key) {
                return redisLock(key, false);
            }
        },

        /** As {@link #REDIS_LOCK}, with lease renewal on: a renewal is scheduled with each hold and cancelled. */
        REDIS_LOCK_RENEWED {
            @Override
            RemoteLock create(String key) {
                return redisLock(key, true);
            }
        },

        /** Redisson {@code RLock.lock()}, then {@code unlock()}. */
        REDISSON {
            @Override
            RemoteLock create(String key) {
                RedissonClient redisson = BenchmarkRedis.redisson();
                RLock rlock = redisson.getLock(key);
                return new RemoteLock() {
                    @Override
                    public void acquireAndRelease() {
                        rlock.lock();
                        rlock.unlock();
                    }

                    @Override
                    public void close() {
                        redisson.shutdown();
                    }
                };
            }
        },

        /** {@code SET key token NX PX 5000}, then {@code EVALSHA} of a compare-and-delete script: the floor. */
        LETTUCE_FLOOR {
            @Override
            RemoteLock create(String key) {
                BenchmarkRedis.RawConnection connection = BenchmarkRedis.raw();
                RedisCommands<byte[], byte[]> commands = connection.commands();
                String sha = commands.scriptLoad(releaseScript());
                byte[][] keys = { BenchmarkRedis.utf8(key) };
                byte[] token = BenchmarkRedis.utf8(UUID.randomUUID().toString());
                byte[] publish = BenchmarkRedis.utf8("publish");
                SetArgs nx = SetArgs.Builder.nx().px(5000);
                return new RemoteLock() {
                    @Override
                    public void acquireAndRelease() {
                        if (commands.set(keys[0], token, nx) == null) {
                            throw new IllegalStateException("the free lock was taken");
                        }
                        Long released = commands.evalsha(sha, ScriptOutputType.INTEGER, keys, token, publish);
                        if (released == null || released != 1) {
                            throw new IllegalStateException("the lock was not released");
                        }
                    }

                    @Override
                    public void close() {
                        connection.close();
                    }
                };
            }
        };

        abstract RemoteLock create(String key);

        private static RemoteLock redisLock(String key, boolean leaseRenewal) {
            LettuceConnectionFactory factory = BenchmarkRedis.connectionFactory();
            RedisLock redisLock = RedisLock.builder(factory, key).keyPrefix("").leaseRenewal(leaseRenewal).build();
            return new RemoteLock() {
                @Override
                public void acquireAndRelease() {
                    Permit permit = redisLock.acquire().join();
                    // every acquisition carries its fencing token: reading it is part of the cycle, and free
                    if (permit.fencingToken() <= 0) {
                        throw new IllegalStateException("no fencing token");
                    }
                    permit.close();
                }

                @Override
                public void close() {
                    factory.destroy();
                }
            };
        }
    }

    /**
     * The floor's compare-and-delete and wake-up: the least any token-safe release can send. RedisLock's own release
     * script does more (it keeps the fence key's bookkeeping), and the benchmark measures what that costs over this.
     */
    static byte[] releaseScript() {
        return """
                if redis.call('get', KEYS[1]) == ARGV[1] then
                    redis.call('del', KEYS[1])
                    redis.call(ARGV[2], KEYS[1], 'released')
                    return 1
                end
                return 0
                """.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * What the benchmark does with any of the locks.
     */
    interface RemoteLock extends AutoCloseable {

        void acquireAndRelease();

        @Override
        void close();
    }
}
