package dev.quiver.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

import dev.quiver.objects.ArrowCache;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizer;
import org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of Spring's cache abstraction over Quiver's ArrowCaches: an {@link ArrowCacheManager} for an
 * application that uses {@code @EnableCaching}, sets no {@code spring.cache.type} and has no {@link CacheManager} (or
 * {@code cacheResolver}) of its own; Spring Boot's cache rules win otherwise. The application's
 * {@link CacheManagerCustomizer}s apply to it, as to Spring Boot's own cache managers.
 */
@AutoConfiguration(after = QuiverAutoConfiguration.class,
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@ConditionalOnClass(CacheManager.class)
@ConditionalOnBean(CacheAspectSupport.class)
@ConditionalOnMissingBean(value = CacheManager.class, name = "cacheResolver")
@Conditional(QuiverCacheAutoConfiguration.NoCacheTypeCondition.class)
public final class QuiverCacheAutoConfiguration {

    @SuppressWarnings({ "rawtypes", "unchecked" })
    static ArrowCacheManager arrowCacheManager(ListableBeanFactory beanFactory, QuiverProperties properties) {
        Map<String, ArrowCache<?, ?>> caches = (Map) beanFactory.getBeansOfType(ArrowCache.class);
        QuiverInstances.CacheSpec defaults = QuiverInstances.cacheDefaults(properties);
        Executor executor = QuiverExecutor.of(beanFactory);
        List<ArrowCacheBuilderCustomizer> customizers = beanFactory.getBeanProvider(ArrowCacheBuilderCustomizer.class)
            .orderedStream()
            .toList();
        return new ArrowCacheManager(caches, defaults.expiration(), defaults.maxEntries(), defaults.refreshAfter(),
                (name, builder) -> {
                    builder.defaultExecutor(executor);
                    customizers.forEach((customizer) -> customizer.customize(name, builder));
                });
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CacheManagerCustomizers.class)
    static class CustomizedCacheManagerConfiguration {

        @Bean
        ArrowCacheManager cacheManager(ListableBeanFactory beanFactory, QuiverProperties properties,
                ObjectProvider<CacheManagerCustomizer<?>> customizers) {
            return new CacheManagerCustomizers(customizers.orderedStream().toList())
                .customize(arrowCacheManager(beanFactory, properties));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("org.springframework.boot.cache.autoconfigure.CacheManagerCustomizers")
    static class PlainCacheManagerConfiguration {

        @Bean
        ArrowCacheManager cacheManager(ListableBeanFactory beanFactory, QuiverProperties properties) {
            return arrowCacheManager(beanFactory, properties);
        }
    }

    /** The application has not chosen its cache with {@code spring.cache.type}. */
    static final class NoCacheTypeCondition extends NoneNestedConditions {

        NoCacheTypeCondition() {
            super(ConfigurationPhase.PARSE_CONFIGURATION);
        }

        @ConditionalOnProperty("spring.cache.type")
        static final class CacheTypeSet {
        }
    }
}
