package dev.quiver.autoconfigure;

import dev.quiver.objects.ArrowCache;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Spring's cache abstraction over Quiver's ArrowCaches: an {@link ArrowCacheManager} when the
 * application has no {@link CacheManager} of its own.
 */
@AutoConfiguration(after = QuiverAutoConfiguration.class,
        beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@ConditionalOnClass(CacheManager.class)
public final class QuiverCacheAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(CacheManager.class)
    ArrowCacheManager cacheManager(ListableBeanFactory beanFactory, QuiverProperties properties) {
        @SuppressWarnings({ "rawtypes", "unchecked" })
        java.util.Map<String, ArrowCache<?, ?>> caches = (java.util.Map) beanFactory.getBeansOfType(ArrowCache.class);
        return new ArrowCacheManager(caches, properties.getCaches().getExpiration(),
                properties.getCaches().getMaxEntries(), properties.getCaches().getRefreshAfter());
    }
}
