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
 * Every group has the same shape: defaults at the group level, {@code names} (instances that take the defaults) and
 * {@code instances} (instances with settings of their own; a setting left out takes the group's default). Each name
 * becomes a bean of that name. {@code names} exists because YAML drops an empty map such as {@code quotes: {}}.
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
     * Returns the setting: whether Quiver's auto-configuration creates any bean at all.
     *
     * @return the current value
     */
    public boolean isEnabled() {
        return this.enabled;
    }

    /**
     * Changes the setting: whether Quiver's auto-configuration creates any bean at all.
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
     * ArrowCache beans ({@code quiver.caches.*}).
     */
    public static class Caches {

        /**
         * How long an entry lives after it is written, for every cache without its own setting.
         */
        private Duration expiration = Duration.ofHours(3);

        /**
         * Most entries a cache holds before it culls, for every cache without its own setting.
         */
        private int maxEntries = 2000;

        /**
         * Age at which a read with a loader returns an entry at once and reloads it in the background, for every cache
         * without its own setting; absent = never.
         */
        private @Nullable Duration refreshAfter;

        /**
         * Names of ArrowCache beans that take the defaults above.
         */
        private List<String> names = new ArrayList<>();

        /**
         * ArrowCache beans with settings of their own, keyed by bean name.
         */
        private Map<String, Cache> instances = new LinkedHashMap<>();

        /**
         * Returns the setting: how long an entry lives after it is written, for every cache without its own setting.
         *
         * @return the current value
         */
        public Duration getExpiration() {
            return this.expiration;
        }

        /**
         * Changes the setting: how long an entry lives after it is written, for every cache without its own setting.
         *
         * @param expiration the new value
         */
        public void setExpiration(Duration expiration) {
            this.expiration = expiration;
        }

        /**
         * Returns the setting: most entries a cache holds before it culls, for every cache without its own setting.
         *
         * @return the current value
         */
        public int getMaxEntries() {
            return this.maxEntries;
        }

        /**
         * Changes the setting: most entries a cache holds before it culls, for every cache without its own setting.
         *
         * @param maxEntries the new value
         */
        public void setMaxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        /**
         * Returns the setting: age at which a read with a loader returns an entry at once and reloads it in the
         * background, for every cache without its own setting; absent = never.
         *
         * @return the current value
         */
        public @Nullable Duration getRefreshAfter() {
            return this.refreshAfter;
        }

        /**
         * Changes the setting: age at which a read with a loader returns an entry at once and reloads it in the
         * background, for every cache without its own setting; absent = never.
         *
         * @param refreshAfter the new value
         */
        public void setRefreshAfter(@Nullable Duration refreshAfter) {
            this.refreshAfter = refreshAfter;
        }

        /**
         * Returns the setting: names of ArrowCache beans that take the defaults above.
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Changes the setting: names of ArrowCache beans that take the defaults above.
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the setting: arrowCache beans with settings of their own, keyed by bean name.
         *
         * @return the current value
         */
        public Map<String, Cache> getInstances() {
            return this.instances;
        }

        /**
         * Changes the setting: arrowCache beans with settings of their own, keyed by bean name.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, Cache> instances) {
            this.instances = instances;
        }
    }

    /**
     * Settings of one ArrowCache; a setting left out takes the group's default.
     */
    public static class Cache {

        /**
         * How long an entry lives after it is written.
         */
        private @Nullable Duration expiration;

        /**
         * Most entries the cache holds before it culls.
         */
        private @Nullable Integer maxEntries;

        /**
         * Age at which a read with a loader returns an entry at once and reloads it in the background.
         */
        private @Nullable Duration refreshAfter;

        /**
         * Returns the setting: how long an entry lives after it is written.
         *
         * @return the current value
         */
        public @Nullable Duration getExpiration() {
            return this.expiration;
        }

        /**
         * Changes the setting: how long an entry lives after it is written.
         *
         * @param expiration the new value
         */
        public void setExpiration(@Nullable Duration expiration) {
            this.expiration = expiration;
        }

        /**
         * Returns the setting: most entries the cache holds before it culls.
         *
         * @return the current value
         */
        public @Nullable Integer getMaxEntries() {
            return this.maxEntries;
        }

        /**
         * Changes the setting: most entries the cache holds before it culls.
         *
         * @param maxEntries the new value
         */
        public void setMaxEntries(@Nullable Integer maxEntries) {
            this.maxEntries = maxEntries;
        }

        /**
         * Returns the setting: age at which a read with a loader returns an entry at once and reloads it in the
         * background.
         *
         * @return the current value
         */
        public @Nullable Duration getRefreshAfter() {
            return this.refreshAfter;
        }

        /**
         * Changes the setting: age at which a read with a loader returns an entry at once and reloads it in the
         * background.
         *
         * @param refreshAfter the new value
         */
        public void setRefreshAfter(@Nullable Duration refreshAfter) {
            this.refreshAfter = refreshAfter;
        }
    }

    /**
     * SealLock beans ({@code quiver.seal-locks.*}).
     */
    public static class SealLocks {

        /**
         * How long acquire() waits by default, for the sealLocks factory and every lock without its own setting;
         * absent = as long as it takes.
         */
        private @Nullable Duration blockingTimeout;

        /**
         * Names of SealLock beans that take the defaults above.
         */
        private List<String> names = new ArrayList<>();

        /**
         * SealLock beans with settings of their own, keyed by bean name.
         */
        private Map<String, SealLock> instances = new LinkedHashMap<>();

        /**
         * Returns the setting: how long acquire() waits by default, for the sealLocks factory and every lock without
         * its own setting; absent = as long as it takes.
         *
         * @return the current value
         */
        public @Nullable Duration getBlockingTimeout() {
            return this.blockingTimeout;
        }

        /**
         * Changes the setting: how long acquire() waits by default, for the sealLocks factory and every lock without
         * its own setting; absent = as long as it takes.
         *
         * @param blockingTimeout the new value
         */
        public void setBlockingTimeout(@Nullable Duration blockingTimeout) {
            this.blockingTimeout = blockingTimeout;
        }

        /**
         * Returns the setting: names of SealLock beans that take the defaults above.
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Changes the setting: names of SealLock beans that take the defaults above.
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the setting: sealLock beans with settings of their own, keyed by bean name.
         *
         * @return the current value
         */
        public Map<String, SealLock> getInstances() {
            return this.instances;
        }

        /**
         * Changes the setting: sealLock beans with settings of their own, keyed by bean name.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, SealLock> instances) {
            this.instances = instances;
        }
    }

    /**
     * Settings of one SealLock; a setting left out takes the group's default.
     */
    public static class SealLock {

        /**
         * How long acquire() waits by default.
         */
        private @Nullable Duration blockingTimeout;

        /**
         * Returns the setting: how long acquire() waits by default.
         *
         * @return the current value
         */
        public @Nullable Duration getBlockingTimeout() {
            return this.blockingTimeout;
        }

        /**
         * Changes the setting: how long acquire() waits by default.
         *
         * @param blockingTimeout the new value
         */
        public void setBlockingTimeout(@Nullable Duration blockingTimeout) {
            this.blockingTimeout = blockingTimeout;
        }
    }

    /**
     * RedisLock beans and the defaults of the RedisLocks factory ({@code quiver.redis-locks.*}).
     */
    public static class RedisLocks {

        /**
         * Prefix of the Redis key that holds each lock.
         */
        private String keyPrefix = "quiver:lock:";

        /**
         * How often a waiter retries when no release message wakes it first.
         */
        private Duration sleep = Duration.ofMillis(20);

        /**
         * Lifetime of a lock's key: a holder that dies loses the lock after this long.
         */
        private Duration timeout = Duration.ofSeconds(5);

        /**
         * How long acquire() waits by default before it gives up with a LockTimeoutException.
         */
        private Duration blockingTimeout = Duration.ofSeconds(10);

        /**
         * Whether an acquisition belongs to the thread that acquired it, so that no other thread may release it.
         */
        private boolean threadLocal = false;

        /**
         * Whether a held lock's key is renewed to the full timeout until release, so that work may outlast the timeout.
         */
        private boolean leaseRenewal = false;

        /**
         * Names of RedisLock beans that take the defaults above.
         */
        private List<String> names = new ArrayList<>();

        /**
         * RedisLock beans with settings of their own, keyed by bean name.
         */
        private Map<String, RedisLock> instances = new LinkedHashMap<>();

        /**
         * Returns the setting: prefix of the Redis key that holds each lock.
         *
         * @return the current value
         */
        public String getKeyPrefix() {
            return this.keyPrefix;
        }

        /**
         * Changes the setting: prefix of the Redis key that holds each lock.
         *
         * @param keyPrefix the new value
         */
        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * Returns the setting: how often a waiter retries when no release message wakes it first.
         *
         * @return the current value
         */
        public Duration getSleep() {
            return this.sleep;
        }

        /**
         * Changes the setting: how often a waiter retries when no release message wakes it first.
         *
         * @param sleep the new value
         */
        public void setSleep(Duration sleep) {
            this.sleep = sleep;
        }

        /**
         * Returns the setting: lifetime of a lock's key: a holder that dies loses the lock after this long.
         *
         * @return the current value
         */
        public Duration getTimeout() {
            return this.timeout;
        }

        /**
         * Changes the setting: lifetime of a lock's key: a holder that dies loses the lock after this long.
         *
         * @param timeout the new value
         */
        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        /**
         * Returns the setting: how long acquire() waits by default before it gives up with a LockTimeoutException.
         *
         * @return the current value
         */
        public Duration getBlockingTimeout() {
            return this.blockingTimeout;
        }

        /**
         * Changes the setting: how long acquire() waits by default before it gives up with a LockTimeoutException.
         *
         * @param blockingTimeout the new value
         */
        public void setBlockingTimeout(Duration blockingTimeout) {
            this.blockingTimeout = blockingTimeout;
        }

        /**
         * Returns the setting: whether an acquisition belongs to the thread that acquired it, so that no other thread
         * may release it.
         *
         * @return the current value
         */
        public boolean isThreadLocal() {
            return this.threadLocal;
        }

        /**
         * Changes the setting: whether an acquisition belongs to the thread that acquired it, so that no other thread
         * may release it.
         *
         * @param threadLocal the new value
         */
        public void setThreadLocal(boolean threadLocal) {
            this.threadLocal = threadLocal;
        }

        /**
         * Returns the setting: whether a held lock's key is renewed to the full timeout until release.
         *
         * @return the current value
         */
        public boolean isLeaseRenewal() {
            return this.leaseRenewal;
        }

        /**
         * Changes the setting: whether a held lock's key is renewed to the full timeout until release.
         *
         * @param leaseRenewal the new value
         */
        public void setLeaseRenewal(boolean leaseRenewal) {
            this.leaseRenewal = leaseRenewal;
        }

        /**
         * Returns the setting: names of RedisLock beans that take the defaults above.
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Changes the setting: names of RedisLock beans that take the defaults above.
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the setting: redisLock beans with settings of their own, keyed by bean name.
         *
         * @return the current value
         */
        public Map<String, RedisLock> getInstances() {
            return this.instances;
        }

        /**
         * Changes the setting: redisLock beans with settings of their own, keyed by bean name.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, RedisLock> instances) {
            this.instances = instances;
        }
    }

    /**
     * Settings of one RedisLock; a setting left out takes the group's default.
     */
    public static class RedisLock {

        /**
         * Prefix of the Redis key that holds the lock.
         */
        private @Nullable String keyPrefix;

        /**
         * How often a waiter retries when no release message wakes it first.
         */
        private @Nullable Duration sleep;

        /**
         * Lifetime of the lock's key.
         */
        private @Nullable Duration timeout;

        /**
         * How long acquire() waits by default.
         */
        private @Nullable Duration blockingTimeout;

        /**
         * Whether an acquisition belongs to the thread that acquired it.
         */
        private @Nullable Boolean threadLocal;

        /**
         * Whether the held lock's key is renewed to the full timeout until release.
         */
        private @Nullable Boolean leaseRenewal;

        /**
         * Returns the setting: prefix of the Redis key that holds the lock.
         *
         * @return the current value
         */
        public @Nullable String getKeyPrefix() {
            return this.keyPrefix;
        }

        /**
         * Changes the setting: prefix of the Redis key that holds the lock.
         *
         * @param keyPrefix the new value
         */
        public void setKeyPrefix(@Nullable String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        /**
         * Returns the setting: how often a waiter retries when no release message wakes it first.
         *
         * @return the current value
         */
        public @Nullable Duration getSleep() {
            return this.sleep;
        }

        /**
         * Changes the setting: how often a waiter retries when no release message wakes it first.
         *
         * @param sleep the new value
         */
        public void setSleep(@Nullable Duration sleep) {
            this.sleep = sleep;
        }

        /**
         * Returns the setting: lifetime of the lock's key.
         *
         * @return the current value
         */
        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        /**
         * Changes the setting: lifetime of the lock's key.
         *
         * @param timeout the new value
         */
        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        /**
         * Returns the setting: how long acquire() waits by default.
         *
         * @return the current value
         */
        public @Nullable Duration getBlockingTimeout() {
            return this.blockingTimeout;
        }

        /**
         * Changes the setting: how long acquire() waits by default.
         *
         * @param blockingTimeout the new value
         */
        public void setBlockingTimeout(@Nullable Duration blockingTimeout) {
            this.blockingTimeout = blockingTimeout;
        }

        /**
         * Returns the setting: whether an acquisition belongs to the thread that acquired it.
         *
         * @return the current value
         */
        public @Nullable Boolean getThreadLocal() {
            return this.threadLocal;
        }

        /**
         * Changes the setting: whether an acquisition belongs to the thread that acquired it.
         *
         * @param threadLocal the new value
         */
        public void setThreadLocal(@Nullable Boolean threadLocal) {
            this.threadLocal = threadLocal;
        }

        /**
         * Returns the setting: whether the held lock's key is renewed to the full timeout until release.
         *
         * @return the current value
         */
        public @Nullable Boolean getLeaseRenewal() {
            return this.leaseRenewal;
        }

        /**
         * Changes the setting: whether the held lock's key is renewed to the full timeout until release.
         *
         * @param leaseRenewal the new value
         */
        public void setLeaseRenewal(@Nullable Boolean leaseRenewal) {
            this.leaseRenewal = leaseRenewal;
        }
    }

    /**
     * Default dict beans ({@code quiver.dicts.*}).
     */
    public static class Dicts {

        /**
         * Where a dict keeps its entries, for every dict without its own setting: "redis" (RedisDefaultDict) or
         * "local" (MultiDefaultDict).
         */
        private String store = "redis";

        /**
         * Fully qualified class of the values (JSON-mapped on Redis), for every dict without its own setting.
         */
        private String valueType = "java.lang.Object";

        /**
         * How long a Redis entry lives after it is written; 0 = no expiry.
         */
        private Duration ttl = Duration.ZERO;

        /**
         * Names of dict beans that take the defaults above (a Redis dict's key prefix is then "name:").
         */
        private List<String> names = new ArrayList<>();

        /**
         * Dict beans with settings of their own, keyed by bean name.
         */
        private Map<String, Dict> instances = new LinkedHashMap<>();

        /**
         * Returns the setting: where a dict keeps its entries, for every dict without its own setting: "redis"
         * (RedisDefaultDict) or "local" (MultiDefaultDict).
         *
         * @return the current value
         */
        public String getStore() {
            return this.store;
        }

        /**
         * Changes the setting: where a dict keeps its entries, for every dict without its own setting: "redis"
         * (RedisDefaultDict) or "local" (MultiDefaultDict).
         *
         * @param store the new value
         */
        public void setStore(String store) {
            this.store = store;
        }

        /**
         * Returns the setting: fully qualified class of the values (JSON-mapped on Redis), for every dict without its
         * own setting.
         *
         * @return the current value
         */
        public String getValueType() {
            return this.valueType;
        }

        /**
         * Changes the setting: fully qualified class of the values (JSON-mapped on Redis), for every dict without its
         * own setting.
         *
         * @param valueType the new value
         */
        public void setValueType(String valueType) {
            this.valueType = valueType;
        }

        /**
         * Returns the setting: how long a Redis entry lives after it is written; 0 = no expiry.
         *
         * @return the current value
         */
        public Duration getTtl() {
            return this.ttl;
        }

        /**
         * Changes the setting: how long a Redis entry lives after it is written; 0 = no expiry.
         *
         * @param ttl the new value
         */
        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        /**
         * Returns the setting: names of dict beans that take the defaults above (a Redis dict's key prefix is then
         * "name:").
         *
         * @return the current value
         */
        public List<String> getNames() {
            return this.names;
        }

        /**
         * Changes the setting: names of dict beans that take the defaults above (a Redis dict's key prefix is then
         * "name:").
         *
         * @param names the new value
         */
        public void setNames(List<String> names) {
            this.names = names;
        }

        /**
         * Returns the setting: dict beans with settings of their own, keyed by bean name.
         *
         * @return the current value
         */
        public Map<String, Dict> getInstances() {
            return this.instances;
        }

        /**
         * Changes the setting: dict beans with settings of their own, keyed by bean name.
         *
         * @param instances the new value
         */
        public void setInstances(Map<String, Dict> instances) {
            this.instances = instances;
        }
    }

    /**
     * Settings of one dict; a setting left out takes the group's default.
     */
    public static class Dict {

        /**
         * Where the dict keeps its entries: "redis" (RedisDefaultDict) or "local" (MultiDefaultDict).
         */
        private @Nullable String store;

        /**
         * Prefix of the dict's Redis keys; absent = the dict's name followed by ":".
         */
        private @Nullable String prefix;

        /**
         * Fully qualified class of the values (JSON-mapped on Redis).
         */
        private @Nullable String valueType;

        /**
         * How long a Redis entry lives after it is written; 0 = no expiry.
         */
        private @Nullable Duration ttl;

        /**
         * Returns the setting: where the dict keeps its entries: "redis" (RedisDefaultDict) or "local"
         * (MultiDefaultDict).
         *
         * @return the current value
         */
        public @Nullable String getStore() {
            return this.store;
        }

        /**
         * Changes the setting: where the dict keeps its entries: "redis" (RedisDefaultDict) or "local"
         * (MultiDefaultDict).
         *
         * @param store the new value
         */
        public void setStore(@Nullable String store) {
            this.store = store;
        }

        /**
         * Returns the setting: prefix of the dict's Redis keys; absent = the dict's name followed by ":".
         *
         * @return the current value
         */
        public @Nullable String getPrefix() {
            return this.prefix;
        }

        /**
         * Changes the setting: prefix of the dict's Redis keys; absent = the dict's name followed by ":".
         *
         * @param prefix the new value
         */
        public void setPrefix(@Nullable String prefix) {
            this.prefix = prefix;
        }

        /**
         * Returns the setting: fully qualified class of the values (JSON-mapped on Redis).
         *
         * @return the current value
         */
        public @Nullable String getValueType() {
            return this.valueType;
        }

        /**
         * Changes the setting: fully qualified class of the values (JSON-mapped on Redis).
         *
         * @param valueType the new value
         */
        public void setValueType(@Nullable String valueType) {
            this.valueType = valueType;
        }

        /**
         * Returns the setting: how long a Redis entry lives after it is written; 0 = no expiry.
         *
         * @return the current value
         */
        public @Nullable Duration getTtl() {
            return this.ttl;
        }

        /**
         * Changes the setting: how long a Redis entry lives after it is written; 0 = no expiry.
         *
         * @param ttl the new value
         */
        public void setTtl(@Nullable Duration ttl) {
            this.ttl = ttl;
        }
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
         * Returns the setting: whether Quiver's beans publish meters to the application's MeterRegistry.
         *
         * @return the current value
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Changes the setting: whether Quiver's beans publish meters to the application's MeterRegistry.
         *
         * @param enabled the new value
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }
}
