package dev.quiver.locks;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import java.util.function.Function;

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

    private final Executor executor;

    private final Consumer<RedisLock.Builder> customizer;

    private volatile Function<String, ? extends LockObserver> observers;

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
        this(factory, settings, (name) -> LockObserver.none());
    }

    /**
     * Creates a lock factory whose locks use the given settings and report to observers.
     *
     * @param factory the connection factory of the Redis that holds the locks (a {@code LettuceConnectionFactory})
     * @param settings the settings of every lock
     * @param observers gives each lock, by name, the observer told how long callers waited for and held it
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code factory} is not a {@code LettuceConnectionFactory}
     */
    public RedisLocks(RedisConnectionFactory factory, RedisLockSettings settings,
            Function<String, ? extends LockObserver> observers) {
        this(factory, settings, ForkJoinPool.commonPool(), (builder) -> {
        });
        this.observers = Objects.requireNonNull(observers, "observers must not be null");
    }

    /**
     * Creates a lock factory whose locks start from the given settings and executor, and then pass through
     * {@code customizer}, which may set any setting of a lock's builder (once) except its observer, which comes from
     * {@link #setObservers}.
     *
     * @param factory the connection factory of the Redis that holds the locks (a {@code LettuceConnectionFactory})
     * @param settings the settings every lock starts from
     * @param executor the executor on which the locks' futures complete unless the customizer sets another
     * @param customizer adjusts the builder of each lock, by name ({@link RedisLock.Builder#name()})
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code factory} is not a {@code LettuceConnectionFactory}
     */
    public RedisLocks(RedisConnectionFactory factory, RedisLockSettings settings, Executor executor,
            Consumer<RedisLock.Builder> customizer) {
        this.factory = RedisLock.requireLettuce(factory);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.customizer = Objects.requireNonNull(customizer, "customizer");
        this.observers = (name) -> LockObserver.none();
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

    /**
     * Replaces the observers of the locks handed out so far and of those to come, e.g. to record metrics.
     *
     * @param observers gives each lock, by name, its observer
     * @throws NullPointerException if {@code observers} is {@code null}
     */
    public void setObservers(Function<String, ? extends LockObserver> observers) {
        this.observers = Objects.requireNonNull(observers, "observers must not be null");
        this.locks.forEach((name, lock) -> lock.setObserver(observers.apply(name)));
    }

    private RedisLock create(String name) {
        RedisLock.Builder builder = RedisLock.builder(this.factory, name)
            .defaults(this.settings, this.executor)
            .observer(this.observers.apply(name));
        this.customizer.accept(builder);
        return builder.build();
    }
}
