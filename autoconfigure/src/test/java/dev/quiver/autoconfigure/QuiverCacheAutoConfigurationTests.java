package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link QuiverCacheAutoConfiguration}: ArrowCaches behind Spring's cache abstraction only where Spring
 * Boot's own cache rules leave the choice open.
 */
@RedisTest
class QuiverCacheAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(QuiverAutoConfiguration.class, QuiverCacheAutoConfiguration.class,
                CacheAutoConfiguration.class))
        .withPropertyValues("quiver.caches.names=quotes");

    @Test
    void anAppWithEnableCachingAndNoCacheTypeIsServedByTheArrowCaches() {
        this.contextRunner.withUserConfiguration(CachingConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(CacheManager.class);
            CacheManager cacheManager = context.getBean(CacheManager.class);
            assertThat(cacheManager).isInstanceOf(ArrowCacheManager.class);
            assertThat(cacheManager.getCache("quotes").getNativeCache()).isSameAs(context.getBean("quotes"));
        });
    }

    @Test
    void withoutSpringBootsCacheModuleTheArrowCachesStillServeEnableCaching() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(QuiverAutoConfiguration.class, QuiverCacheAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.cache"))
            .withPropertyValues("quiver.caches.names=quotes")
            .withUserConfiguration(CachingConfiguration.class)
            .run((context) -> assertThat(context.getBean(CacheManager.class).getCache("quotes").getNativeCache())
                .isSameAs(context.getBean("quotes")));
    }

    @Test
    void cachesMadeOnFirstUseTakeTheGroupRefreshAge() {
        this.contextRunner.withUserConfiguration(CachingConfiguration.class)
            .withPropertyValues("quiver.caches.refresh-after=1ms")
            .run((context) -> {
                Cache made = context.getBean(CacheManager.class).getCache("made-on-first-use");
                assertThat(made).isNotNull();
                made.put("k", "old");
                // the refresh runs in the background: the read that finds the old value starts it
                await().atMost(Duration.ofSeconds(20)).until(() -> "new".equals(made.get("k", () -> "new")));
            });
    }

    @Test
    void anAppWithoutEnableCachingGetsNoCacheManager() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(CacheManager.class).hasBean("quotes"));
    }

    @Test
    void theAppsOwnCacheManagerWins() {
        this.contextRunner.withUserConfiguration(CachingConfiguration.class)
            .withBean(CacheManager.class, ConcurrentMapCacheManager::new)
            .run((context) -> assertThat(context.getBean(CacheManager.class))
                .isExactlyInstanceOf(ConcurrentMapCacheManager.class));
    }

    @Test
    void cacheTypeCaffeineWins() {
        this.contextRunner.withUserConfiguration(CachingConfiguration.class)
            .withPropertyValues("spring.cache.type=caffeine")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(ArrowCacheManager.class);
                CacheManager cacheManager = context.getBean(CacheManager.class);
                assertThat(cacheManager).isInstanceOf(CaffeineCacheManager.class);
                assertThat(cacheManager.getCache("quotes").getNativeCache())
                    .isInstanceOf(com.github.benmanes.caffeine.cache.Cache.class);
            });
    }

    @Test
    void cacheTypeSimpleWins() {
        this.contextRunner.withUserConfiguration(CachingConfiguration.class)
            .withPropertyValues("spring.cache.type=simple")
            .run((context) -> assertThat(context.getBean(CacheManager.class))
                .isExactlyInstanceOf(ConcurrentMapCacheManager.class));
    }

    @Test
    void cacheTypeRedisWinsAndCachesInRedis(RedisEndpoint redis) {
        this.contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
            .withUserConfiguration(CachingConfiguration.class)
            .withPropertyValues("spring.cache.type=redis", "spring.data.redis.url=" + redis.url())
            .run((context) -> {
                assertThat(context).doesNotHaveBean(ArrowCacheManager.class);
                CacheManager cacheManager = context.getBean(CacheManager.class);
                assertThat(cacheManager).isInstanceOf(RedisCacheManager.class);
                cacheManager.getCache("quotes").put("ACME", "42");
                assertThat(context.getBean(StringRedisTemplate.class).hasKey("quotes::ACME")).isTrue();
            });
    }

    @Test
    void cacheManagerCustomizersApplyToTheArrowCacheManagerOnly() {
        this.contextRunner.withUserConfiguration(CachingConfiguration.class, CustomizersConfiguration.class)
            .run((context) -> {
                ArrowCacheManager cacheManager = context.getBean(ArrowCacheManager.class);
                assertThat(cacheManager.getCacheNames()).contains("quotes", "warmed");
                assertThat(context.getBean(CustomizersConfiguration.class).customized).containsExactly("arrow");
            });
    }

    @Test
    void everyCacheItServesIsMeteredAndListedIncludingThoseMadeOnFirstUse() {
        this.contextRunner
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    QuiverMetricsAutoConfiguration.class))
            .withBean(SimpleMeterRegistry.class)
            .withUserConfiguration(CachingConfiguration.class, CustomizersConfiguration.class)
            .run((context) -> {
                CacheManager cacheManager = context.getBean(CacheManager.class);
                for (String name : List.of("quotes", "warmed", "fresh")) {
                    Cache cache = cacheManager.getCache(name);
                    assertThat(cache.get("k")).isNull();
                    cache.put("k", "v");
                    assertThat(cache.get("k").get()).isEqualTo("v");
                }
                MeterRegistry registry = context.getBean(MeterRegistry.class);
                for (String name : List.of("quotes", "warmed", "fresh")) {
                    assertThat(registry.get("cache.gets").tags("cache", name, "result", "hit").functionCounter().count())
                        .as(name)
                        .isEqualTo(1);
                    assertThat(registry.get("cache.gets").tags("cache", name, "result", "miss").functionCounter().count())
                        .as(name)
                        .isEqualTo(1);
                    assertThat(registry.get("cache.puts").tags("cache", name).functionCounter().count()).isEqualTo(1);
                    assertThat(registry.get("cache.size").tags("cache", name).gauge().value()).isEqualTo(1);
                }
                assertThat(registry.find("cache.gets").tags("cache", "fresh").functionCounters()).hasSize(2);
                QuiverEndpoint.QuiverDescriptor described = new QuiverEndpoint(context).quiver();
                assertThat(described.caches()).containsOnlyKeys("quotes", "warmed", "fresh");
                assertThat(described.caches().get("fresh").hits()).isEqualTo(1);
                assertThat(described.caches().get("fresh").size()).isEqualTo(1);
            });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingConfiguration {

    }

    @Configuration(proxyBeanMethods = false)
    static class CustomizersConfiguration {

        final List<String> customized = new ArrayList<>();

        @Bean
        CacheManagerCustomizer<ArrowCacheManager> arrowCustomizer() {
            return (cacheManager) -> {
                this.customized.add("arrow");
                cacheManager.getCache("warmed");
            };
        }

        @Bean
        CacheManagerCustomizer<CaffeineCacheManager> caffeineCustomizer() {
            return (cacheManager) -> {
                this.customized.add("caffeine");
                cacheManager.setCaffeine(Caffeine.newBuilder().maximumSize(1));
            };
        }
    }
}
