package dev.quiver.autoconfigure;

import java.util.List;

import dev.quiver.locks.RedisLocks;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Auto-configuration of Quiver's Redis beans on the application's {@link RedisConnectionFactory}: the dicts with
 * {@code store: redis} on any client, and, on Lettuce's factory, the {@link RedisLocks} factory and the RedisLocks
 * named under {@code quiver.redis-locks}. On another client (Jedis, Redisson's) the locks are skipped and one line at
 * start-up says so. Without a factory, only the local beans come up.
 */
@AutoConfiguration(after = QuiverAutoConfiguration.class,
        afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration")
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@Import(RedisDictsRegistrar.class)
public final class QuiverRedisAutoConfiguration {

    /** Lettuce's core, which {@link dev.quiver.locks.RedisLock} uses directly. */
    static final String LETTUCE_CLIENT = "io.lettuce.core.RedisClient";

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = LETTUCE_CLIENT)
    @ConditionalOnBean(LettuceConnectionFactory.class)
    @Import(RedisLocksRegistrar.class)
    static class LettuceConfiguration {

        @Bean
        @ConditionalOnMissingBean
        RedisLocks redisLocks(RedisConnectionFactory connectionFactory, QuiverProperties properties,
                BeanFactory beanFactory, ObjectProvider<RedisLockBuilderCustomizer> customizers) {
            QuiverInstances.RedisLockSpec defaults = QuiverInstances.redisLockDefaults(properties);
            List<RedisLockBuilderCustomizer> ordered = customizers.orderedStream().toList();
            return new RedisLocks(connectionFactory, defaults.settings(), QuiverExecutor.of(beanFactory),
                    (builder) -> ordered.forEach((customizer) -> customizer.customize(builder.name(), builder)));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @Conditional(NoLettuceConnectionFactoryCondition.class)
    static class OtherClientConfiguration {

        @Bean
        SkippedLettuceBeans quiverSkippedLettuceBeans(QuiverProperties properties,
                ListableBeanFactory beanFactory) {
            return new SkippedLettuceBeans(properties, beanFactory);
        }
    }

    /** The application's Redis client is not Lettuce, or Lettuce is not on the class path. */
    static final class NoLettuceConnectionFactoryCondition extends NoneNestedConditions {

        NoLettuceConnectionFactoryCondition() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnClass(name = LETTUCE_CLIENT)
        @ConditionalOnBean(LettuceConnectionFactory.class)
        static final class OnLettuceConnectionFactory {
        }
    }
}
