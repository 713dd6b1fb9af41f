package dev.quiver.locks;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings a {@link RedisLock} is built with, as one immutable value: {@link RedisLocks} hands them to every lock
 * it creates. Invalid values are refused at construction with a message that names the setting and the value.
 *
 * @param sleep how long a waiter waits between two tries when no release wakes it earlier (positive)
 * @param timeout the lifetime of the lock key, after which a holder that died releases the lock (at least 1 ms)
 * @param blockingTimeout how long {@link RedisLock#acquire()} waits (zero: try once)
 * @param threadLocal whether an acquisition belongs to the thread that called {@code acquire()} (see {@link RedisLock})
 * @param keyPrefix prepended to the lock name to form the Redis key (may be empty)
 * @param leaseRenewal whether a held acquisition's key is renewed to the full {@code timeout} until release (see
 *        {@link RedisLock.Builder#leaseRenewal(boolean)})
 */
public record RedisLockSettings(Duration sleep, Duration timeout, Duration blockingTimeout, boolean threadLocal,
        String keyPrefix, boolean leaseRenewal) {

    /** The default {@code sleep}: 20 ms. */
    public static final Duration DEFAULT_SLEEP = Duration.ofMillis(20);

    /** The default {@code timeout}: 5 s. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** The default {@code blockingTimeout}: 10 s. */
    public static final Duration DEFAULT_BLOCKING_TIMEOUT = Duration.ofSeconds(10);

    /** The default {@code keyPrefix}: {@code "quiver:lock:"}. */
    public static final String DEFAULT_KEY_PREFIX = "quiver:lock:";

    /**
     * Validates the settings.
     *
     * @throws NullPointerException if a duration or the key prefix is {@code null}
     * @throws IllegalArgumentException if a duration is out of range, or {@code sleep} is longer than
     *         {@code timeout}
     */
    public RedisLockSettings {
        requireAtLeastOneMilli("sleep", sleep);
        requireAtLeastOneMilli("timeout", timeout);
        requireNotNegative("blockingTimeout", blockingTimeout);
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (sleep.compareTo(timeout) > 0) {
            throw new IllegalArgumentException(
                    "sleep (" + sleep + ") must not be longer than timeout (" + timeout + "): the key would expire "
                            + "between two tries of a waiter");
        }
    }

    /**
     * Settings without lease renewal.
     *
     * @param sleep how long a waiter waits between two tries when no release wakes it earlier (positive)
     * @param timeout the lifetime of the lock key, after which a holder that died releases the lock (at least 1 ms)
     * @param blockingTimeout how long {@link RedisLock#acquire()} waits (zero: try once)
     * @param threadLocal whether an acquisition belongs to the thread that called {@code acquire()}
     * @param keyPrefix prepended to the lock name to form the Redis key (may be empty)
     * @throws NullPointerException if a duration or the key prefix is {@code null}
     * @throws IllegalArgumentException if a duration is out of range, or {@code sleep} is longer than
     *         {@code timeout}
     */
    public RedisLockSettings(Duration sleep, Duration timeout, Duration blockingTimeout, boolean threadLocal,
            String keyPrefix) {
        this(sleep, timeout, blockingTimeout, threadLocal, keyPrefix, false);
    }

    /**
     * Returns the defaults: sleep 20 ms, timeout 5 s, blocking timeout 10 s, not thread-local, key prefix
     * {@code "quiver:lock:"}, no lease renewal.
     *
     * @return the default settings
     */
    public static RedisLockSettings defaults() {
        return new RedisLockSettings(DEFAULT_SLEEP, DEFAULT_TIMEOUT, DEFAULT_BLOCKING_TIMEOUT, false,
                DEFAULT_KEY_PREFIX, false);
    }

    /**
     * Returns a copy with another {@code sleep}.
     *
     * @param sleep the retry interval of waiters
     * @return the new settings
     */
    public RedisLockSettings withSleep(Duration sleep) {
        return new RedisLockSettings(sleep, this.timeout, this.blockingTimeout, this.threadLocal, this.keyPrefix,
                this.leaseRenewal);
    }

    /**
     * Returns a copy with another {@code timeout}.
     *
     * @param timeout the lifetime of the lock key
     * @return the new settings
     */
    public RedisLockSettings withTimeout(Duration timeout) {
        return new RedisLockSettings(this.sleep, timeout, this.blockingTimeout, this.threadLocal, this.keyPrefix,
                this.leaseRenewal);
    }

    /**
     * Returns a copy with another {@code blockingTimeout}.
     *
     * @param blockingTimeout how long {@code acquire()} waits
     * @return the new settings
     */
    public RedisLockSettings withBlockingTimeout(Duration blockingTimeout) {
        return new RedisLockSettings(this.sleep, this.timeout, blockingTimeout, this.threadLocal, this.keyPrefix,
                this.leaseRenewal);
    }

    /**
     * Returns a copy with another {@code threadLocal}.
     *
     * @param threadLocal whether acquisitions belong to the acquiring thread
     * @return the new settings
     */
    public RedisLockSettings withThreadLocal(boolean threadLocal) {
        return new RedisLockSettings(this.sleep, this.timeout, this.blockingTimeout, threadLocal, this.keyPrefix,
                this.leaseRenewal);
    }

    /**
     * Returns a copy with another {@code keyPrefix}.
     *
     * @param keyPrefix prepended to lock names to form Redis keys
     * @return the new settings
     */
    public RedisLockSettings withKeyPrefix(String keyPrefix) {
        return new RedisLockSettings(this.sleep, this.timeout, this.blockingTimeout, this.threadLocal, keyPrefix,
                this.leaseRenewal);
    }

    /**
     * Returns a copy with another {@code leaseRenewal}.
     *
     * @param leaseRenewal whether held acquisitions renew their key until release
     * @return the new settings
     */
    public RedisLockSettings withLeaseRenewal(boolean leaseRenewal) {
        return new RedisLockSettings(this.sleep, this.timeout, this.blockingTimeout, this.threadLocal, this.keyPrefix,
                leaseRenewal);
    }

    static Duration requireAtLeastOneMilli(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.toMillis() < 1) {
            throw new IllegalArgumentException(name + " must be at least 1ms, got " + value);
        }
        return value;
    }

    static Duration requireNotNegative(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative, got " + value);
        }
        return value;
    }
}
