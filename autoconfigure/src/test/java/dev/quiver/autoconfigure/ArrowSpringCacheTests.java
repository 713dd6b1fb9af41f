package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import dev.quiver.objects.ArrowCache;
import org.junit.jupiter.api.Test;

import org.springframework.cache.Cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ArrowSpringCache}: an ArrowCache behaving as Spring's cache abstraction expects.
 */
class ArrowSpringCacheTests {

    private final ArrowCache<Object, Object> arrow = new ArrowCache<>(Duration.ofMinutes(5), 100);

    private final ArrowSpringCache cache = new ArrowSpringCache("quotes", this.arrow);

    @Test
    void aNullValueIsCachedAsSuchAndReadBackAsNull() {
        this.cache.put("gone", null);
        Cache.ValueWrapper wrapper = this.cache.get("gone");
        assertThat(wrapper).isNotNull();
        assertThat(wrapper.get()).isNull();
        assertThat(this.cache.get("never")).isNull();
    }

    @Test
    void evictionRemovesOneEntryAndClearRemovesAll() {
        this.cache.put("a", 1);
        this.cache.put("b", 2);
        this.cache.evict("a");
        assertThat(this.cache.get("a")).isNull();
        assertThat(this.cache.evictIfPresent("b")).isTrue();
        assertThat(this.cache.evictIfPresent("b")).isFalse();
        this.cache.put("c", 3);
        assertThat(this.cache.invalidate()).isTrue();
        assertThat(this.arrow.size()).isZero();
    }

    @Test
    void getWithALoaderLoadsOnceAndCachesNullResults() {
        AtomicInteger loads = new AtomicInteger();
        Object first = this.cache.get("k", () -> {
            loads.incrementAndGet();
            return null;
        });
        Object second = this.cache.get("k", () -> {
            loads.incrementAndGet();
            return "other";
        });
        assertThat(first).isNull();
        assertThat(second).isNull();
        assertThat(loads).hasValue(1);
    }

    @Test
    void aFailingLoaderSurfacesAsValueRetrievalExceptionAndIsNotCached() {
        assertThatExceptionOfType(Cache.ValueRetrievalException.class)
            .isThrownBy(() -> this.cache.get("k", (java.util.concurrent.Callable<String>) () -> {
                throw new IllegalStateException("upstream down");
            }))
            .withRootCauseInstanceOf(IllegalStateException.class);
        String loaded = this.cache.get("k", () -> "fine");
        assertThat(loaded).isEqualTo("fine");
    }

    @Test
    void asyncRetrievalLoadsOnceAndReadsBack() {
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<String> first = this.cache.retrieve("k", () -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture("v");
        });
        assertThat(first.join()).isEqualTo("v");
        assertThat(this.cache.retrieve("k", () -> CompletableFuture.completedFuture("other")).join()).isEqualTo("v");
        assertThat(((Cache.ValueWrapper) this.cache.retrieve("k").join()).get()).isEqualTo("v");
        assertThat(this.cache.retrieve("missing").join()).isNull();
        assertThat(loads).hasValue(1);
    }

    @Test
    void theManagerServesConfiguredCachesAndMakesOthersWithTheDefaults() {
        ArrowCacheManager manager = new ArrowCacheManager(java.util.Map.of("quotes", this.arrow),
                Duration.ofMinutes(1), 10);
        assertThat(manager.getCache("quotes").getNativeCache()).isSameAs(this.arrow);
        ArrowCache<?, ?> made = (ArrowCache<?, ?>) manager.getCache("other").getNativeCache();
        assertThat(made.maxEntries()).isEqualTo(10);
        assertThat(made.expiration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(manager.getCache("other").getNativeCache()).isSameAs(made);
        assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("quotes", "other");
    }
}
