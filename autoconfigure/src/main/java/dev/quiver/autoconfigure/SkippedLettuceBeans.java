package dev.quiver.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.quiver.locks.RedisLocks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Quiver's answer to a {@link RedisConnectionFactory} that is not Lettuce's (Jedis, Redisson's): a RedisLock needs
 * Lettuce, so start-up stops if the application named RedisLocks under {@code quiver.redis-locks}, and otherwise one
 * line says which Quiver beans were skipped and why. The local beans and the Redis dicts are not affected. A Lettuce
 * factory whose {@code @Bean} method declares only {@code RedisConnectionFactory} is not seen as Lettuce's until it
 * exists, after the conditions were decided; the message then says to declare the Lettuce type.
 */
final class SkippedLettuceBeans implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(SkippedLettuceBeans.class);

    private static final String LETTUCE_FACTORY = "org.springframework.data.redis.connection.lettuce."
            + "LettuceConnectionFactory";

    private final ListableBeanFactory beanFactory;

    /**
     * Checks that no RedisLock is configured by name.
     *
     * @param properties the bound properties
     * @param beanFactory where the application's connection factories are found
     * @throws InvalidQuiverPropertyException naming the locks and the fix, if some are configured
     */
    SkippedLettuceBeans(QuiverProperties properties, ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
        QuiverProperties.RedisLocks locks = properties.getRedisLocks();
        boolean listed = !locks.getNames().isEmpty();
        if (listed || !locks.getInstances().isEmpty()) {
            List<String> names = new ArrayList<>(locks.getNames());
            names.addAll(locks.getInstances().keySet());
            throw new InvalidQuiverPropertyException(listed ? "quiver.redis-locks.names" : "quiver.redis-locks.instances",
                    names, reason(), fix() + ", or remove these locks (a SealLock under quiver.seal-locks locks "
                            + "within one JVM)");
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (this.beanFactory.getBeanNamesForType(RedisLocks.class, false, false).length == 0) {
            logger.info("Quiver skipped the RedisLocks bean 'redisLocks': " + reason()
                    + "; the local beans and the dicts with store: redis are up. To have it, " + fix());
        }
    }

    private String reason() {
        List<String> factories = new ArrayList<>();
        factories().forEach((name, factory) -> factories.add(factory.getClass().getSimpleName() + " '" + name + "'"));
        return "a RedisLock needs Lettuce's LettuceConnectionFactory, and this application's RedisConnectionFactory is "
                + String.join(", ", factories);
    }

    private String fix() {
        List<String> undeclared = new ArrayList<>();
        factories().forEach((name, factory) -> {
            if (isLettuce(ClassUtils.getUserClass(factory))) {
                undeclared.add("'" + name + "'");
            }
        });
        if (!undeclared.isEmpty()) {
            return "declare LettuceConnectionFactory as the return type of the @Bean method of "
                    + String.join(", ", undeclared) + ", so that it is known to be Lettuce's before it is made";
        }
        return "connect to Redis with Lettuce (spring-boot-starter-data-redis with io.lettuce:lettuce-core, "
                + "spring.data.redis.client-type=lettuce)";
    }

    private static boolean isLettuce(Class<?> type) {
        for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
            if (candidate.getName().equals(LETTUCE_FACTORY)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, RedisConnectionFactory> factories() {
        return this.beanFactory.getBeansOfType(RedisConnectionFactory.class);
    }
}
