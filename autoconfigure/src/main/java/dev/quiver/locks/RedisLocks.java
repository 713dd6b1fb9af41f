package dev.quiver.locks;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ForkJoinPool;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Hands out {@link RedisLock}s by name, all on one connection factory and with the same settings: the lock factory
 * an application shares as one bean.
 * <p>
 * {@link #get(String)} returns the same instance for the same name, so the locks it hands out are shared by every
 * caller of that name (which is safe: each {@code acquire()} is its own acquisition). Instances are kept for the
 * life of this object, so names should come from a bounded set. This class is thread-safe.
 */
public final class RedisLocks {

    private final LettuceConnectionFactory factory;

    private final RedisLockSettings settings;

    private final LockObserver observer;

    private final ConcurrentMap<String, RedisLock> locks = new ConcurrentHashMap<>();

    /**
     * Creates a lock factory whose locks use the default settings.
     *
     * @param factory the connection factory of the Redis that holds the locks (a {@code LettuceConnectionFactory})
     * @throws NullPointerException if {@code factory} is {@code null}
     * @throws IllegalArgumentException if {@code factory} is not a {@code LettuceConnectionFactory}
     */
    public RedisLocks(RedisConnectionFactory factory) {
        this(factory, RedisLockSettings.defaults());
    }

    /**
     * Creates a lock factory whose locks use the given settings.
     *
     * @param factory the connection factory of the Redis that holds the locks (a {@code LettuceConnectionFactory})
     * @param settings the settings of every lock
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code factory} is not a {@code LettuceConnectionFactory}
     */
    public RedisLocks(RedisConnectionFactory factory, RedisLockSettings settings) {
        this(factory, settings, LockObserver.NONE);
    }

    /**
     * Creates a lock factory whose locks use the given settings and report to an observer.
     *
     * @param factory the connection factory of the Redis that holds the locks (a {@code LettuceConnectionFactory})
     * @param settings the settings of every lock
     * @param observer told how long callers waited for and held each lock
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code factory} is not a {@code LettuceConnectionFactory}
     */
    public RedisLocks(RedisConnectionFactory factory, RedisLockSettings settings, LockObserver observer) {
        this.factory = RedisLock.requireLettuce(factory);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    /**
     * Returns the lock of the given name, with this factory's settings; the same instance for the same name.
     *
     * @param name the name of the lock
     * @return the lock
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public RedisLock get(String name) {
        Objects.requireNonNull(name, "name");
        RedisLock lock = this.locks.get(name);
        if (lock != null) {
            return lock;
        }
        return this.locks.computeIfAbsent(name, this::create);
    }

    /**
     * Returns the settings every lock of this factory gets.
     *
     * @return the settings
     */
    public RedisLockSettings settings() {
        return this.settings;
    }

    private RedisLock create(String name) {
        return new RedisLock(this.factory, name, this.settings, this.observer, ForkJoinPool.commonPool());
    }
}
