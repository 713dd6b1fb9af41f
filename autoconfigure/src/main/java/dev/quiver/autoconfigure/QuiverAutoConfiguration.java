package dev.quiver.autoconfigure;

import dev.quiver.locks.SealLocks;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Auto-configuration of Quiver's local beans: the {@link SealLocks} factory, the ArrowCaches, SealLocks and local
 * dicts named under {@code quiver.*}, and the check of the application's {@link DictDefault} beans.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@EnableConfigurationProperties(QuiverProperties.class)
@Import(LocalBeansRegistrar.class)
public final class QuiverAutoConfiguration {

    @Bean
    static DictDefaultsCheck quiverDictDefaultsCheck() {
        return new DictDefaultsCheck();
    }

    @Bean
    @ConditionalOnMissingBean
    SealLocks sealLocks(QuiverProperties properties) {
        return new SealLocks(QuiverInstances.sealLockDefaults(properties));
    }
}
