package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.quiver.locks.RedisLockSettings;
import dev.quiver.objects.ArrowCache;
import org.jspecify.annotations.Nullable;
import org.springframework.util.ClassUtils;

/**
 * The named instances that {@link QuiverProperties} asks for, each with its group's defaults filled in and every
 * value checked. Building it is all-or-nothing: the first invalid value throws
 * {@link InvalidQuiverPropertyException}, before any bean exists.
 *
 * @param caches the ArrowCache beans
 * @param sealLocks the SealLock beans
 * @param redisLocks the RedisLock beans
 * @param dicts the default dict beans
 */
record QuiverInstances(List<CacheSpec> caches, List<SealLockSpec> sealLocks, List<RedisLockSpec> redisLocks,
        List<DictSpec> dicts) {

    /**
     * One ArrowCache bean, or the settings of caches made on first use (name {@code "*"}); a {@code null} refresh age
     * never refreshes.
     */
    record CacheSpec(String name, Duration expiration, int maxEntries, @Nullable Duration refreshAfter) {

        /** Starts the builder of this cache, with its name and settings. */
        ArrowCache.Builder builder() {
            ArrowCache.Builder builder = ArrowCache.builder()
                .name(this.name)
                .expiration(this.expiration)
                .maxEntries(this.maxEntries);
            if (this.refreshAfter != null) {
                builder.refreshAfter(this.refreshAfter);
            }
            return builder;
        }
    }

    /** One SealLock bean; a {@code null} blocking timeout waits as long as it takes. */
    record SealLockSpec(String name, @Nullable Duration blockingTimeout) {
    }

    /** One RedisLock bean, or the defaults of the RedisLocks factory (name {@code "*"}). */
    record RedisLockSpec(String name, RedisLockSettings settings) {
    }

    /** One default dict bean. */
    record DictSpec(String name, QuiverProperties.Store store, String prefix, Class<?> valueType, Duration ttl) {
    }

    /**
     * Resolves and checks every instance the properties name.
     *
     * @param properties the bound properties
     * @param classLoader where dict value types are looked up
     * @return the instances
     * @throws InvalidQuiverPropertyException on the first invalid value
     */
    static QuiverInstances of(QuiverProperties properties, @Nullable ClassLoader classLoader) {
        QuiverInstances instances = new QuiverInstances(caches(properties),
                sealLocks(properties.getSealLocks()), redisLocks(properties.getRedisLocks()),
                dicts(properties.getDicts(), classLoader));
        instances.checkUniqueBeanNames();
        return instances;
    }

    /**
     * Returns the defaults of the RedisLocks factory: the group-level settings of {@code quiver.redis-locks}.
     *
     * @param properties the bound properties
     * @return the defaults, named {@code "*"}
     */
    static RedisLockSpec redisLockDefaults(QuiverProperties properties) {
        return redisLock("*", "quiver.redis-locks", properties.getRedisLocks(), new QuiverProperties.RedisLock());
    }

    /**
     * Returns the settings of a cache made on first use: the group-level settings of {@code quiver.caches}.
     *
     * @param properties the bound properties
     * @return the defaults, named {@code "*"}
     */
    static CacheSpec cacheDefaults(QuiverProperties properties) {
        QuiverProperties.Caches group = properties.getCaches();
        String prefix = "quiver.caches";
        return new CacheSpec("*",
                positive(prefix + ".expiration", required(prefix + ".expiration", group.getExpiration())),
                atLeastOne(prefix + ".max-entries", required(prefix + ".max-entries", group.getMaxEntries())),
                (group.getRefreshAfter() != null) ? positive(prefix + ".refresh-after", group.getRefreshAfter())
                        : null);
    }

    private static List<CacheSpec> caches(QuiverProperties properties) {
        QuiverProperties.Caches group = properties.getCaches();
        CacheSpec defaults = cacheDefaults(properties);
        String prefix = "quiver.caches";
        return named(prefix, group.getNames(), group.getInstances(), (name, own) -> {
            String path = prefix + ".instances." + name;
            return new CacheSpec(name,
                    (own.getExpiration() != null) ? positive(path + ".expiration", own.getExpiration())
                            : defaults.expiration(),
                    (own.getMaxEntries() != null) ? atLeastOne(path + ".max-entries", own.getMaxEntries())
                            : defaults.maxEntries(),
                    (own.getRefreshAfter() != null) ? positive(path + ".refresh-after", own.getRefreshAfter())
                            : defaults.refreshAfter());
        }, QuiverProperties.Cache::new);
    }

    /**
     * Returns the default blocking timeout of the SealLocks factory: {@code quiver.seal-locks.blocking-timeout}.
     *
     * @param properties the bound properties
     * @return the timeout, or {@code null} to wait as long as it takes
     */
    static @Nullable Duration sealLockDefaults(QuiverProperties properties) {
        return sealLockTimeout(properties.getSealLocks());
    }

    private static @Nullable Duration sealLockTimeout(QuiverProperties.SealLocks group) {
        return (group.getBlockingTimeout() != null)
                ? notNegative("quiver.seal-locks.blocking-timeout", group.getBlockingTimeout()) : null;
    }

    private static List<SealLockSpec> sealLocks(QuiverProperties.SealLocks group) {
        String prefix = "quiver.seal-locks";
        Duration blockingTimeout = sealLockTimeout(group);
        return named(prefix, group.getNames(), group.getInstances(), (name, own) -> {
            String path = prefix + ".instances." + name + ".blocking-timeout";
            return new SealLockSpec(name, (own.getBlockingTimeout() != null)
                    ? notNegative(path, own.getBlockingTimeout()) : blockingTimeout);
        }, QuiverProperties.SealLock::new);
    }

    private static List<RedisLockSpec> redisLocks(QuiverProperties.RedisLocks group) {
        String prefix = "quiver.redis-locks";
        // the group's own settings are checked too, even when no instance takes them
        redisLock("*", prefix, group, new QuiverProperties.RedisLock());
        return named(prefix, group.getNames(), group.getInstances(),
                (name, own) -> redisLock(name, prefix + ".instances." + name, group, own),
                QuiverProperties.RedisLock::new);
    }

    private static RedisLockSpec redisLock(String name, String path, QuiverProperties.RedisLocks group,
            QuiverProperties.RedisLock own) {
        String keyPrefix = setting(own, group, ".key-prefix", QuiverProperties.RedisLock::getKeyPrefix);
        Duration sleep = atLeastOneMilli(path + ".sleep",
                setting(own, group, ".sleep", QuiverProperties.RedisLock::getSleep));
        Duration timeout = atLeastOneMilli(path + ".timeout",
                setting(own, group, ".timeout", QuiverProperties.RedisLock::getTimeout));
        Duration blockingTimeout = notNegative(path + ".blocking-timeout",
                setting(own, group, ".blocking-timeout", QuiverProperties.RedisLock::getBlockingTimeout));
        boolean threadLocal = setting(own, group, ".thread-local", QuiverProperties.RedisLock::getThreadLocal);
        boolean leaseRenewal = setting(own, group, ".lease-renewal", QuiverProperties.RedisLock::getLeaseRenewal);
        if (sleep.compareTo(timeout) > 0) {
            throw new InvalidQuiverPropertyException(path + ".sleep", sleep,
                    "a waiter would retry less often than the lock's key expires (timeout " + timeout + ")",
                    "make sleep shorter than timeout, such as 20ms");
        }
        return new RedisLockSpec(name,
                new RedisLockSettings(sleep, timeout, blockingTimeout, threadLocal, keyPrefix, leaseRenewal));
    }

    private static List<DictSpec> dicts(QuiverProperties.Dicts group, @Nullable ClassLoader classLoader) {
        String prefix = "quiver.dicts";
        QuiverProperties.Store store = required(prefix + ".store", group.getStore());
        Class<?> valueType = valueType(prefix + ".value-type", required(prefix + ".value-type", group.getValueType()),
                classLoader);
        Duration ttl = noneOrAtLeastOneMilli(prefix + ".ttl", required(prefix + ".ttl", group.getTtl()));
        return named(prefix, group.getNames(), group.getInstances(), (name, own) -> {
            String path = prefix + ".instances." + name;
            return new DictSpec(name, (own.getStore() != null) ? own.getStore() : store,
                    (own.getPrefix() != null) ? own.getPrefix() : name + ":",
                    (own.getValueType() != null) ? valueType(path + ".value-type", own.getValueType(), classLoader)
                            : valueType,
                    (own.getTtl() != null) ? noneOrAtLeastOneMilli(path + ".ttl", own.getTtl()) : ttl);
        }, QuiverProperties.NamedDict::new);
    }

    /**
     * Returns an instance's own setting, else the group's, which must be set: the group's constructor gives every
     * setting a default, which binding keeps (an empty value binds to nothing); only code that sets it to
     * {@code null} takes it away.
     */
    private static <T> T setting(QuiverProperties.RedisLock own, QuiverProperties.RedisLocks group, String key,
            Function<QuiverProperties.RedisLock, @Nullable T> read) {
        T value = read.apply(own);
        return (value != null) ? value : required("quiver.redis-locks" + key, read.apply(group));
    }

    private static <T> T required(String property, @Nullable T value) {
        if (value == null) {
            throw new InvalidQuiverPropertyException(property, "", "the group's default must not be empty",
                    "write a value, or leave the property out to keep Quiver's default");
        }
        return value;
    }

    /**
     * Merges a group's {@code names} (which take the defaults) with its {@code instances} (which have settings of
     * their own), in that order; a name listed in both takes the instance's settings.
     */
    private static <S, T> List<T> named(String prefix, List<String> names, Map<String, S> instances,
            BiFunction<String, S, T> resolve, java.util.function.Supplier<S> noOwnSettings) {
        Map<String, S> all = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            checkName(prefix + ".names[" + i + "]", name);
            all.put(name, noOwnSettings.get());
        }
        instances.forEach((name, own) -> {
            checkName(prefix + ".instances." + name, name);
            all.put(name, (own != null) ? own : noOwnSettings.get());
        });
        List<T> resolved = new ArrayList<>();
        all.forEach((name, own) -> resolved.add(resolve.apply(name, own)));
        return List.copyOf(resolved);
    }

    private void checkUniqueBeanNames() {
        Map<String, String> groups = new LinkedHashMap<>();
        claim(groups, "quiver.caches", this.caches.stream().map(CacheSpec::name).toList());
        claim(groups, "quiver.seal-locks", this.sealLocks.stream().map(SealLockSpec::name).toList());
        claim(groups, "quiver.redis-locks", this.redisLocks.stream().map(RedisLockSpec::name).toList());
        claim(groups, "quiver.dicts", this.dicts.stream().map(DictSpec::name).toList());
    }

    private static void claim(Map<String, String> groups, String group, List<String> names) {
        for (String name : names) {
            String other = groups.putIfAbsent(name, group);
            if (other != null) {
                throw new InvalidQuiverPropertyException(group + ".names", name,
                        "the name is already used by " + other + ", and each name becomes one bean",
                        "give each cache, lock and dict a name of its own");
            }
        }
    }

    private static void checkName(String property, @Nullable String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidQuiverPropertyException(property, String.valueOf(name), "a bean name must not be blank",
                    "write a name such as 'quotes'");
        }
    }

    private static Duration positive(String property, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new InvalidQuiverPropertyException(property, value, "it must be longer than zero",
                    "write a positive duration such as 500ms, 10s, 5m or 3h");
        }
        return value;
    }

    /** Redis keeps a key's lifetime in whole milliseconds, so a lock's sleep and timeout cannot be finer. */
    private static Duration atLeastOneMilli(String property, Duration value) {
        if (value.toMillis() < 1) {
            throw new InvalidQuiverPropertyException(property, value,
                    "it must be at least 1ms, the finest time a Redis lock keeps",
                    "write a positive duration of 1ms or more, such as 20ms, 5s or 1m");
        }
        return value;
    }

    /** A dict's ttl is zero (no expiry) or a lifetime Redis can keep, in whole milliseconds. */
    private static Duration noneOrAtLeastOneMilli(String property, Duration value) {
        if (value.isNegative() || (!value.isZero() && value.toMillis() < 1)) {
            throw new InvalidQuiverPropertyException(property, value,
                    "it must be zero or at least 1ms, the finest lifetime Redis keeps",
                    "write 0 for no expiry, or a duration of 1ms or more, such as 500ms, 10s, 5m or 3h");
        }
        return value;
    }

    private static Duration notNegative(String property, Duration value) {
        if (value.isNegative()) {
            throw new InvalidQuiverPropertyException(property, value, "it must not be negative",
                    "write zero or a positive duration such as 500ms, 10s, 5m or 3h");
        }
        return value;
    }

    private static int atLeastOne(String property, int value) {
        if (value < 1) {
            throw new InvalidQuiverPropertyException(property, value, "a cache must hold at least one entry",
                    "write a whole number of 1 or more, such as 2000");
        }
        return value;
    }

    private static Class<?> valueType(String property, String value, @Nullable ClassLoader classLoader) {
        try {
            return ClassUtils.forName(value.strip(), classLoader);
        }
        catch (ClassNotFoundException | LinkageError ex) {
            throw new InvalidQuiverPropertyException(property, value, "no such class is on the classpath",
                    "write the fully qualified name of a class the application has, such as java.lang.Long");
        }
    }
}
