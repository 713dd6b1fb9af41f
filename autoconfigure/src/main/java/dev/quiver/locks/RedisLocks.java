package dev.quiver.locks;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Hands out {@link RedisLock}s by name, all on one connection factory and with the same settings: the lock factory
 * an application shares as one bean, built for one lock per entity ({@code get("order:" + id)}).
 * <p>
 * Every lock it hands out for one name acts as one instance would: besides the exclusion that Redis keeps across
 * processes, the waiters of a name in this process queue together and are woken by a release through any instance,
 * and {@link RedisLock#release()} releases the name's current acquisition, whichever instance took it. A name's
 * state in this process exists only while somebody holds or waits for it (its waiters' release subscription lingers
 * a moment longer), and is forgotten as soon as nobody does, so client memory stays flat however many distinct
 * names an application uses over its life; an instance kept from before works on the name's current state when it
 * is used again. All locks report to one observer, so metrics do not grow with the names either. This class is
 * thread-safe.
 */
public final class RedisLocks {

    private final LettuceConnectionFactory factory;

    private final RedisLockSettings settings;

    private final Executor executor;

    private final Consumer<RedisLock.Builder> customizer;

    private final SharedLockObserver observer;

    private final LocksInUse<RedisLock> inUse = new LocksInUse<>();

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
        this(factory, settings, LockObserver.none());
    }

    /**
     * Creates a lock factory whose locks use the given settings and report to one observer.
     *
     * @param factory the connection factory of the Redis that holds the locks (a {@code LettuceConnectionFactory})
     * @param settings the settings of every lock
     * @param observer told how long callers waited for and held every lock of this factory
     * @throws NullPointerException if an argument is {@code null}
     * @throws IllegalArgumentException if {@code factory} is not a {@code LettuceConnectionFactory}
     */
    public RedisLocks(RedisConnectionFactory factory, RedisLockSettings settings, LockObserver observer) {
        this(factory, settings, ForkJoinPool.commonPool(), (builder) -> {
        });
        setObserver(observer);
    }

    /**
     * Creates a lock factory whose locks start from the given settings and executor, and then pass through
     * {@code customizer}, which may set any setting of a lock's builder (once) except its observer, which is the
     * factory's ({@link #setObserver}).
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
        this.observer = new SharedLockObserver(LockObserver.none());
    }

    /**
     * Returns the lock of the given name, with this factory's settings. Cheap: while the name is in use it is the
     * instance in use, and otherwise a new one that holds nothing in this process until it is used.
     *
     * @param name the name of the lock
     * @return the lock
     * @throws NullPointerException if {@code name} is {@code null}
     * @throws IllegalArgumentException if {@code name} is blank
     */
    public RedisLock get(String name) {
        return this.inUse.lockOf(name, this::create);
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
     * Replaces the observer of every lock of this factory, those handed out so far and those to come, e.g. to
     * record metrics. Acquisitions under way when it changes may be reported to either observer.
     *
     * @param observer the observer; {@link LockObserver#none()} to observe nothing
     * @throws NullPointerException if {@code observer} is {@code null}
     */
    public void setObserver(LockObserver observer) {
        this.observer.set(observer);
    }

    /**
     * Counts the acquisitions of this factory's locks in this process that hold (until released, even if the lease
     * ran out meanwhile) or wait for their lock now.
     *
     * @return the counts, a snapshot that may be off while acquisitions come and go
     */
    public LockCounts counts() {
        return this.inUse.counts(RedisLock::holds);
    }

    /**
     * Returns how many names are in use now (held or waited for); their state is all this factory keeps.
     */
    int namesInUse() {
        return this.inUse.names();
    }

    private RedisLock create(String name) {
        RedisLock.Builder builder = RedisLock.builder(this.factory, name)
            .defaults(this.settings, this.executor)
            .observer(this.observer)
            .shared(this.inUse);
        this.customizer.accept(builder);
        return builder.build();
    }
}
