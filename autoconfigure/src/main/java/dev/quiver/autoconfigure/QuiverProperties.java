package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for Quiver ({@code quiver.*}).
 * <p>
 * Every group has the same shape: one settings class serves both the group's defaults and its {@code instances}
 * (beans with settings of their own, where a setting left out takes the group's), and {@code names} lists beans that
 * take the defaults as they are. Each name becomes a bean of that name. {@code names} exists because YAML drops an
 * empty map such as {@code quotes: {}}. A group's defaults are written in its constructor, so that an instance's
 * settings start out unset.
 */
@ConfigurationProperties("quiver")
public class QuiverProperties {

    /**
     * Whether Quiver's auto-configuration creates any bean at all.
     */
    private boolean enabled = true;

    private final Caches caches = new Caches();

    private final SealLocks sealLocks = new SealLocks();

    private final RedisLocks redisLocks = new RedisLocks();

    private final Dicts dicts = new Dicts();

    private final Metrics metrics = new Metrics();

    /**
     * Returns the enabled setting.
     *
     * @return the current value
     */
    public boolean isEnabled() {
        return this.enabled;
    }

    /**
     * Sets the enabled setting.
     *
     * @param enabled the new value
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Returns the ArrowCache settings.
     *
     * @return the ArrowCache settings
     */
    public Caches getCaches() {
        return this.caches;
    }

    /**
     * Returns the SealLock settings.
     *
     * @return the SealLock settings
     */
    public SealLocks getSealLocks() {
        return this.sealLocks;
    }

    /**
     * Returns the RedisLock settings.
     *
     * @return the RedisLock settings
     */
    public RedisLocks getRedisLocks() {
        return this.redisLocks;
    }

    /**
     * Returns the dict settings.
     *
     * @return the dict settings
     */
    public Dicts getDicts() {
        return this.dicts;
    }

    /**
     * Returns the meter settings.
     *
     * @return the meter settings
     */
    public Metrics getMetrics() {
        return this.metrics;
    }

    /**
     * Settings of ArrowCaches: the group's defaults ({@code quiver.caches.*}) and each instance's.
     */
    public static class Cache {

        /**
         * How long an entry lives after it is written.
         */
        private @Nullable Duration expiration;

        /**
         * Most entries a cache holds before it culls.
         */
        private @Nullable Integer maxEntries;

        /**
         * Age at which a read with a loader returns an entry at once and reloads it in the background; absent = never.
         */
        private @Nullable Duration refreshAfter;

        /**
         * Returns the expiration setting.
         *
         * @return the current value
         */
        public @Nullable Duration getExpiration() {
            return this.expiration;
        }

        /**
         * Sets the expiration setting.
         *
         * @param expiration the new value
         */
        public void setExpiration(@Nullable Duration expiration) {
            this.expiration = expiration;
        }

        /**
         * Returns the max entries setting.
         *
         * @return the current value
         */
        public @Nullable Integer getMaxEntries() {
            return this.maxEntries;
        }

        /**
         * Sets the max entries setting.
         *
         * @param maxEntries the new value
         */
        public void setMaxEntries(@Nullable Integer maxEntries) {
            this.maxEntries = maxEntries;
        }

        /**
         * Returns the refresh after setting.
         *
         * @return the current value
         */
        public @Nullable Duration getRefreshAfter() {
            return this.refreshAfter;
        }

        /**
         * Sets the refresh after setting.
         *
         * @param refreshAfter the new value
         */
        public void setRefreshAfter(@Nullable Duration refreshAfter) {
            this.refreshAfter = refreshAfter;
        }
    }

    /**
     * ArrowCache beans ({@code quiver.caches.*}): the defaults of every cache, and the named caches.
     */
    public static class Caches extends Cache {

        /**
         * Names of ArrowCache beans that take the defaults above.
         */
        private List<String> names = new ArrayList<>();

        /**
         * ArrowCache beans with settings of their own, keyed by bean name; a setting left out takes the default above.
         */
        private Map<String, Cache> instances = new LinkedHashMap<>();

        /**
         * Creates the group with its defaults: entries live 3 hours, and a cache holds at most 2000 of them.
         */
        public Caches() {
            setExpiration(Duration.ofHours(3));
            setMaxEntries(2000);
        }

        /**
         * Returns the names setting.
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Sets the names setting.
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the instances setting.
         *
         * @return the current value
         */
        public Map<String, Cache> getInstances() {
            return this.instances;
        }

        /**
         * Sets the instances setting.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, Cache> instances) {
            this.instances = instances;
        }
    }

    /**
     * Settings of SealLocks: the group's defaults ({@code quiver.seal-locks.*}) and each instance's.
     */
    public static class SealLock {

        /**
         * How long acquire() waits by default; absent = as long as it takes.
         */
        private @Nullable Duration blockingTimeout;

        /**
         * Returns the blocking timeout setting.
         *
         * @return the current value
         */
        public @Nullable Duration getBlockingTimeout() {
            return this.blockingTimeout;
        }

        /**
         * Sets the blocking timeout setting.
         *
         * @param blockingTimeout the new value
         */
        public void setBlockingTimeout(@Nullable Duration blockingTimeout) {
            this.blockingTimeout = blockingTimeout;
        }
    }

    /**
     * SealLock beans ({@code quiver.seal-locks.*}): the defaults of every lock, and the named locks.
     */
    public static class SealLocks extends SealLock {

        /**
         * Names of SealLock beans that take the defaults above.
         */
        private List<String> names = new ArrayList<>();

        /**
         * SealLock beans with settings of their own, keyed by bean name; a setting left out takes the default above.
         */
        private Map<String, SealLock> instances = new LinkedHashMap<>();

        /**
         * Returns the names setting.
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Sets the names setting.
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the instances setting.
         *
         * @return the current value
         */
        public Map<String, SealLock> getInstances() {
            return this.instances;
        }

        /**
         * Sets the instances setting.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, SealLock> instances) {
            this.instances = instances;
        }
    }

    /**
     * Settings of RedisLocks: the group's defaults ({@code quiver.redis-locks.*}), which the RedisLocks factory uses
     * too, and each instance's.
     */
    public static class RedisLock {

        /**
         * Prefix of the Redis key that holds each lock.
         */
        private @Nullable String keyPrefix;

        /**
         * How often a waiter retries when no release message wakes it first.
         */
        private @Nullable Duration sleep;

        /**
         * Lifetime of a lock's key: a holder that dies loses the lock after this long.
         */
        private @Nullable Duration timeout;

        /**
         * How long acquire() waits by default before it gives up with a LockTimeoutException.
         */
        private @Nullable Duration blockingTimeout;

        /**
         * Whether an acquisition belongs to the thread that acquired it, so that no other thread may release it.
         */
        private @Nullable Boolean threadLocal;

        /**
         * Whether a held lock's key is renewed to the full timeout until release, so that work may outlast the timeout.
         */
        private @Nullable Boolean leaseRenewal;

        /**
         * Returns the key prefix setting.
         *
         * @return the current value
         */
        public @Nullable String getKeyPrefix() {
            return this.keyPrefix;
        }

        /**
         * Sets the key prefix setting.
         *
         * @param keyPrefix the new value
         */
        public void setKeyPrefix(@Nullable String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * Returns the sleep setting.
         *
         * @return the current value
         */
        public @Nullable Duration getSleep() {
            return this.sleep;
        }

        /**
         * Sets the sleep setting.
         *
         * @param sleep the new value
         */
        public void setSleep(@Nullable Duration sleep) {
            this.sleep = sleep;
        }

        /**
         * Returns the timeout setting.
         *
         * @return the current value
         */
        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        /**
         * Sets the timeout setting.
         *
         * @param timeout the new value
         */
        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        /**
         * Returns the blocking timeout setting.
         *
         * @return the current value
         */
        public @Nullable Duration getBlockingTimeout() {
            return this.blockingTimeout;
        }

        /**
         * Sets the blocking timeout setting.
         *
         * @param blockingTimeout the new value
         */
        public void setBlockingTimeout(@Nullable Duration blockingTimeout) {
            this.blockingTimeout = blockingTimeout;
        }

        /**
         * Returns the thread local setting.
         *
         * @return the current value
         */
        public @Nullable Boolean getThreadLocal() {
            return this.threadLocal;
        }

        /**
         * Sets the thread local setting.
         *
         * @param threadLocal the new value
         */
        public void setThreadLocal(@Nullable Boolean threadLocal) {
            this.threadLocal = threadLocal;
        }

        /**
         * Returns the lease renewal setting.
         *
         * @return the current value
         */
        public @Nullable Boolean getLeaseRenewal() {
            return this.leaseRenewal;
        }

        /**
         * Sets the lease renewal setting.
         *
         * @param leaseRenewal the new value
         */
        public void setLeaseRenewal(@Nullable Boolean leaseRenewal) {
            this.leaseRenewal = leaseRenewal;
        }
    }

    /**
     * RedisLock beans and the RedisLocks factory ({@code quiver.redis-locks.*}): the defaults of every lock, and the
     * named locks.
     */
    public static class RedisLocks extends RedisLock {

        /**
         * Names of RedisLock beans that take the defaults above.
         */
        private List<String> names = new ArrayList<>();

        /**
         * RedisLock beans with settings of their own, keyed by bean name; a setting left out takes the default above.
         */
        private Map<String, RedisLock> instances = new LinkedHashMap<>();

        /**
         * Creates the group with its defaults: keys under "quiver:lock:", retries every 20 ms, keys that live 5
         * seconds, waits of at most 10 seconds, and neither thread-local acquisitions nor lease renewal.
         */
        public RedisLocks() {
            setKeyPrefix("quiver:lock:");
            setSleep(Duration.ofMillis(20));
            setTimeout(Duration.ofSeconds(5));
            setBlockingTimeout(Duration.ofSeconds(10));
            setThreadLocal(false);
            setLeaseRenewal(false);
        }

        /**
         * Returns the names setting.
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Sets the names setting.
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the instances setting.
         *
         * @return the current value
         */
        public Map<String, RedisLock> getInstances() {
            return this.instances;
        }

        /**
         * Sets the instances setting.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, RedisLock> instances) {
            this.instances = instances;
        }
    }

    /**
     * Settings of default dicts: the group's defaults ({@code quiver.dicts.*}) and each instance's.
     */
    public static class Dict {

        /**
         * Where a dict keeps its entries: on Redis (RedisDefaultDict) or in local memory (MultiDefaultDict).
         */
        private @Nullable Store store;

        /**
         * Fully qualified class of the values (JSON-mapped on Redis).
         */
        private @Nullable String valueType;

        /**
         * How long a Redis entry lives after it is written; 0 = no expiry.
         */
        private @Nullable Duration ttl;

        /**
         * Returns the store setting.
         *
         * @return the current value
         */
        public @Nullable Store getStore() {
            return this.store;
        }

        /**
         * Sets the store setting.
         *
         * @param store the new value
         */
        public void setStore(@Nullable Store store) {
            this.store = store;
        }

        /**
         * Returns the value type setting.
         *
         * @return the current value
         */
        public @Nullable String getValueType() {
            return this.valueType;
        }

        /**
         * Sets the value type setting.
         *
         * @param valueType the new value
         */
        public void setValueType(@Nullable String valueType) {
            this.valueType = valueType;
        }

        /**
         * Returns the ttl setting.
         *
         * @return the current value
         */
        public @Nullable Duration getTtl() {
            return this.ttl;
        }

        /**
         * Sets the ttl setting.
         *
         * @param ttl the new value
         */
        public void setTtl(@Nullable Duration ttl) {
            this.ttl = ttl;
        }
    }

    /**
     * Settings of one named dict: the group's, and its Redis key prefix.
     */
    public static class NamedDict extends Dict {

        /**
         * Prefix of the dict's Redis keys; absent = the dict's name followed by ":".
         */
        private @Nullable String prefix;

        /**
         * Returns the prefix setting.
         *
         * @return the current value
         */
        public @Nullable String getPrefix() {
            return this.prefix;
        }

        /**
         * Sets the prefix setting.
         *
         * @param prefix the new value
         */
        public void setPrefix(@Nullable String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * Default dict beans ({@code quiver.dicts.*}): the defaults of every dict, and the named dicts.
     */
    public static class Dicts extends Dict {

        /**
         * Names of dict beans that take the defaults above (a Redis dict's key prefix is then "name:").
         */
        private List<String> names = new ArrayList<>();

        /**
         * Dict beans with settings of their own, keyed by bean name; a setting left out takes the default above.
         */
        private Map<String, NamedDict> instances = new LinkedHashMap<>();

        /**
         * Creates the group with its defaults: dicts on Redis, of any JSON value, whose entries never expire.
         */
        public Dicts() {
            setStore(Store.REDIS);
            setValueType("java.lang.Object");
            setTtl(Duration.ZERO);
        }

        /**
         * Returns the names setting.
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Sets the names setting.
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the instances setting.
         *
         * @return the current value
         */
        public Map<String, NamedDict> getInstances() {
            return this.instances;
        }

        /**
         * Sets the instances setting.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, NamedDict> instances) {
            this.instances = instances;
        }
    }

    /**
     * Where a dict keeps its entries.
     */
    public enum Store {

        /**
         * On Redis, shared by every instance of the application: a RedisDefaultDict.
         */
        REDIS,

        /**
         * In this JVM's memory: a MultiDefaultDict.
         */
        LOCAL

    }

    /**
     * Micrometer meters ({@code quiver.metrics.*}).
     */
    public static class Metrics {

        /**
         * Whether Quiver's beans publish meters to the application's MeterRegistry.
         */
        private boolean enabled = true;

        /**
         * Returns the enabled setting.
         *
         * @return the current value
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets the enabled setting.
         *
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
