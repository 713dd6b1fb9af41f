package dev.quiver.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of Quiver's meters: cache, lock and dict meters for every Quiver bean, when the application has
 * a {@link MeterRegistry} and {@code quiver.metrics.enabled} is not false.
 */
@AutoConfiguration(after = { QuiverAutoConfiguration.class, QuiverRedisAutoConfiguration.class },
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "quiver.metrics.enabled", matchIfMissing = true)
public final class QuiverMetricsAutoConfiguration {

    @Bean
    static QuiverMeterBinder quiverMeterBinder(ListableBeanFactory beanFactory) {
        return new QuiverMeterBinder(beanFactory);
    }
}
