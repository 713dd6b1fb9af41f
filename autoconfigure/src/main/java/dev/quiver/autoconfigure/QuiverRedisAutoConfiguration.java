package dev.quiver.autoconfigure;

import dev.quiver.locks.RedisLockSettings;
import dev.quiver.locks.RedisLocks;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of Quiver's Redis beans: the {@link RedisLocks} factory, the RedisLocks named under
 * {@code quiver.redis-locks} and the dicts with {@code store: redis}, on the application's
 * {@link RedisConnectionFactory}. Without one, only the local beans come up.
 */
@AutoConfiguration(after = QuiverAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@ConditionalOnClass({ RedisConnectionFactory.class, LettuceConnectionFactory.class })
@ConditionalOnBean(RedisConnectionFactory.class)
@Import(RedisBeansRegistrar.class)
public final class QuiverRedisAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    RedisLocks redisLocks(RedisConnectionFactory connectionFactory, QuiverProperties properties) {
        QuiverInstances.RedisLockSpec defaults = QuiverInstances.redisLockDefaults(properties);
        return new RedisLocks(connectionFactory, new RedisLockSettings(defaults.sleep(), defaults.timeout(),
                defaults.blockingTimeout(), defaults.threadLocal(), defaults.keyPrefix(), defaults.leaseRenewal()));
    }
}
