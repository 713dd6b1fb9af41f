package dev.quiver.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of Quiver's meters and observations, unless {@code quiver.metrics.enabled} is false: cache
 * meters when the application has a {@link MeterRegistry}; lock and dict observers when it has a meter registry or an
 * {@link ObservationRegistry} (observations when the latter has handlers, as Spring Boot's actuator gives it).
 */
@AutoConfiguration(after = { QuiverAutoConfiguration.class, QuiverRedisAutoConfiguration.class },
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
                "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBooleanProperty(name = "quiver.metrics.enabled", matchIfMissing = true)
public final class QuiverMetricsAutoConfiguration {

    @Bean
    @Conditional(MeterOrObservationRegistryCondition.class)
    static QuiverObservers quiverObservers(ListableBeanFactory beanFactory,
            ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry) {
        return new QuiverObservers(beanFactory, meterRegistry, observationRegistry);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBean(MeterRegistry.class)
    static class MeterConfiguration {

        @Bean
        static QuiverMeterBinder quiverMeterBinder(ListableBeanFactory beanFactory) {
            return new QuiverMeterBinder(beanFactory);
        }

        @Bean
        static MeterFilter quiverLockTimerTags() {
            return new LockTimerTags();
        }
    }

    /** The application has a meter registry, an observation registry, or both. */
    static final class MeterOrObservationRegistryCondition extends AnyNestedCondition {

        MeterOrObservationRegistryCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(MeterRegistry.class)
        static final class OnMeterRegistry {
        }

        @ConditionalOnBean(ObservationRegistry.class)
        static final class OnObservationRegistry {
        }
    }
}
