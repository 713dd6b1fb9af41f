package dev.quiver.autoconfigure;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.quiver.objects.ArrowCache;
import org.jspecify.annotations.Nullable;

import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * An {@link ArrowCache} seen through Spring's {@link org.springframework.cache.Cache}, for {@code @Cacheable} and
 * friends. {@code null} results are cached as Spring's {@code NullValue} (ArrowCache itself refuses nulls), and
 * {@code @Cacheable(sync = true)} loads once per key through the cache's own loader de-duplication.
 */
public final class ArrowSpringCache extends AbstractValueAdaptingCache {

    private final String name;

    private final ArrowCache<Object, Object> cache;

    /**
     * Wraps an ArrowCache under a cache name.
     *
     * @param name the name {@code @Cacheable} uses
     * @param cache the cache that stores the entries
     */
    public ArrowSpringCache(String name, ArrowCache<Object, Object> cache) {
        super(true);
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.cache = Objects.requireNonNull(cache, "cache must not be null");
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public ArrowCache<Object, Object> getNativeCache() {
        return this.cache;
    }

    @Override
    protected @Nullable Object lookup(Object key) {
        return this.cache.get(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> @Nullable T get(Object key, Callable<T> valueLoader) {
        return (T) fromStoreValue(this.cache.get(key, (missing) -> {
            try {
                return toStoreValue(valueLoader.call());
            }
            catch (Exception ex) {
                throw new ValueRetrievalException(key, valueLoader, ex);
            }
        }));
    }

    @Override
    public @Nullable CompletableFuture<?> retrieve(Object key) {
        return this.cache.aget(key).thenApply((stored) -> (stored != null) ? toValueWrapper(stored) : null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        return this.cache.aget(key, (missing) -> valueLoader.get().thenApply(this::toStoreValue))
            .thenApply((stored) -> (T) fromStoreValue(stored));
    }

    @Override
    public void put(Object key, @Nullable Object value) {
        this.cache.set(key, toStoreValue(value));
    }

    @Override
    public void evict(Object key) {
        this.cache.remove(key);
    }

    @Override
    public boolean evictIfPresent(Object key) {
        return this.cache.remove(key);
    }

    @Override
    public void clear() {
        this.cache.clear();
    }

    @Override
    public boolean invalidate() {
        boolean hadEntries = this.cache.size() > 0;
        this.cache.clear();
        return hadEntries;
    }
}
