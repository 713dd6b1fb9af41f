package dev.quiver.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.quiver.locks.RedisLocks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Quiver's answer to a {@link RedisConnectionFactory} that is not Lettuce's (Jedis, Redisson's): a RedisLock needs
 * Lettuce, so start-up stops if the application named RedisLocks under {@code quiver.redis-locks}, and otherwise one
 * line says which Quiver beans were skipped and why. The local beans and the Redis dicts are not affected.
 */
final class SkippedLettuceBeans implements SmartInitializingSingleton {

    private static final Log logger = LogFactory.getLog(SkippedLettuceBeans.class);

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
                    names, "a RedisLock needs Lettuce's LettuceConnectionFactory, and this application's "
                            + "RedisConnectionFactory is " + clients(),
                    "connect to Redis with Lettuce (spring-boot-starter-data-redis with io.lettuce:lettuce-core, "
                            + "spring.data.redis.client-type=lettuce), or remove these locks "
                            + "(a SealLock under quiver.seal-locks locks within one JVM)");
        }
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (this.beanFactory.getBeanNamesForType(RedisLocks.class, false, false).length == 0) {
            logger.info("Quiver skipped the RedisLocks bean 'redisLocks': a RedisLock needs Lettuce's "
                    + "LettuceConnectionFactory, and this application's RedisConnectionFactory is " + clients()
                    + "; the local beans and the dicts with store: redis are up");
        }
    }

    private String clients() {
        List<String> types = new ArrayList<>();
        for (String name : this.beanFactory.getBeanNamesForType(RedisConnectionFactory.class, false, false)) {
            Class<?> type = this.beanFactory.getType(name, false);
            types.add((type != null) ? type.getSimpleName() + " '" + name + "'" : "'" + name + "'");
        }
        return String.join(", ", types);
    }
}
