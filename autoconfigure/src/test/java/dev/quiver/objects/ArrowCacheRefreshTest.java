package dev.quiver.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * Tests of {@link ArrowCache.Builder#refreshAfter(Duration)}: an entry older than the refresh age is returned at once
 * and reloaded once in the background.
 */
class ArrowCacheRefreshTest {

    private final AtomicLong nanos = new AtomicLong();
    private final ArrowCache<String, String> cache = ArrowCache.builder().ticker(nanos::get)
            .expiration(Duration.ofMinutes(10)).refreshAfter(Duration.ofMinutes(1)).build();
    private final AtomicInteger reloads = new AtomicInteger();
    private final CompletableFuture<String> reload = new CompletableFuture<>();
    private final Function<String, CompletableFuture<String>> reloader = key -> {
        reloads.incrementAndGet();
        return reload;
    };

    @Test
    void anEntryYoungerThanTheRefreshAgeIsNotReloaded() {
        cache.set("k", "v1");
        advance(Duration.ofSeconds(59));

        assertThat(cache.aget("k", reloader)).isCompletedWithValue("v1");
        assertThat(reloads).hasValue(0);
    }

    @Test
    void anOlderEntryIsReturnedAtOnceAndReloadedOnceInTheBackground() {
        cache.set("k", "v1");
        advance(Duration.ofMinutes(1));

        assertThat(cache.aget("k", reloader)).isCompletedWithValue("v1");
        assertThat(cache.aget("k", reloader)).isCompletedWithValue("v1");
        assertThat(reloads).hasValue(1);

        reload.complete("v2");
        assertThat(cache.get("k")).isEqualTo("v2");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void theReloadedValueIsRefreshedAgainOnceItIsOldEnough() {
        cache.set("k", "v1");
        advance(Duration.ofMinutes(1));
        cache.aget("k", reloader);
        reload.complete("v2");
        AtomicInteger second = new AtomicInteger();

        cache.aget("k", key -> {
            second.incrementAndGet();
            return CompletableFuture.completedFuture("v3");
        });
        assertThat(second).hasValue(0);
        advance(Duration.ofMinutes(1));
        cache.aget("k", key -> {
            second.incrementAndGet();
            return CompletableFuture.completedFuture("v3");
        });

        assertThat(second).hasValue(1);
        assertThat(cache.get("k")).isEqualTo("v3");
    }

    @Test
    void aFailedReloadKeepsTheOldValueUntilItExpires() {
        cache.set("k", "v1");
        advance(Duration.ofMinutes(1));
        cache.aget("k", reloader);

        reload.completeExceptionally(new IllegalStateException("backend down"));

        assertThat(cache.aget("k", reloader)).isCompletedWithValue("v1");
        assertThat(reloads).hasValue(1);
        advance(Duration.ofMinutes(9));
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void aMissWhileTheReloadRunsWaitsForItInsteadOfLoadingAgain() {
        cache.set("k", "v1");
        advance(Duration.ofMinutes(1));
        cache.aget("k", reloader);
        cache.remove("k");
        AtomicInteger loads = new AtomicInteger();

        CompletableFuture<String> miss = cache.aget("k", key -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture("other");
        });
        reload.complete("v2");

        assertThat(loads).hasValue(0);
        assertThat(miss).isCompletedWithValue("v2");
        assertThat(cache.get("k")).isEqualTo("v2");
    }

    @Test
    void aValueSetDuringTheReloadWinsOverIt() {
        cache.set("k", "v1");
        advance(Duration.ofMinutes(1));
        cache.aget("k", reloader);

        cache.set("k", "mine");
        reload.complete("v2");

        assertThat(cache.get("k")).isEqualTo("mine");
    }

    @Test
    void aSynchronousLoaderReloadsInTheBackground() {
        cache.get("k", key -> "v1");
        advance(Duration.ofMinutes(1));

        assertThat(cache.get("k", key -> {
            reloads.incrementAndGet();
            return "v2";
        })).isEqualTo("v1");

        await().atMost(Duration.ofSeconds(20)).until(() -> "v2".equals(cache.get("k")));
        assertThat(reloads).hasValue(1);
    }

    @Test
    void theBuilderRefusesARefreshAgeThatIsNotPositive() {
        assertThatIllegalArgumentException().isThrownBy(() -> ArrowCache.builder().refreshAfter(Duration.ZERO))
                .withMessage("refreshAfter must be positive but was PT0S");
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
