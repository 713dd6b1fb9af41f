package dev.quiver.autoconfigure;

import java.util.List;
import java.util.function.Function;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.SealLock;
import dev.quiver.objects.ArrowCache;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * The factory methods of the beans named under {@code quiver.*}. A bean definition names one of these methods and
 * the bean's name, and Spring supplies the rest, so that Spring Boot's AOT engine can write the definitions as code;
 * each method reads its instance's settings from the {@link QuiverProperties} bound when the application starts. The
 * methods return raw types, so that an injection point chooses the type arguments.
 */
final class NamedBeans {

    private NamedBeans() {
    }

    @SuppressWarnings("rawtypes")
    static ArrowCache arrowCache(String name, QuiverProperties properties, BeanFactory beanFactory) {
        QuiverInstances.CacheSpec cache = find(name, "quiver.caches", instances(properties, beanFactory).caches(),
                QuiverInstances.CacheSpec::name);
        ArrowCache.Builder builder = cache.builder().defaultExecutor(QuiverExecutor.of(beanFactory));
        beanFactory.getBeanProvider(ArrowCacheBuilderCustomizer.class)
            .orderedStream()
            .forEach((customizer) -> customizer.customize(name, builder));
        return builder.build();
    }

    static SealLock sealLock(String name, QuiverProperties properties, BeanFactory beanFactory) {
        QuiverInstances.SealLockSpec lock = find(name, "quiver.seal-locks",
                instances(properties, beanFactory).sealLocks(), QuiverInstances.SealLockSpec::name);
        return (lock.blockingTimeout() != null) ? new SealLock(name, lock.blockingTimeout()) : new SealLock(name);
    }

    @SuppressWarnings("rawtypes")
    static MultiDefaultDict localDict(String name, QuiverProperties properties, BeanFactory beanFactory) {
        return DictDefaults.from(beanFactory).localDict(dict(name, properties, beanFactory));
    }

    static RedisLock redisLock(String name, QuiverProperties properties, BeanFactory beanFactory,
            RedisConnectionFactory connectionFactory) {
        QuiverInstances.RedisLockSpec lock = find(name, "quiver.redis-locks",
                instances(properties, beanFactory).redisLocks(), QuiverInstances.RedisLockSpec::name);
        RedisLock.Builder builder = RedisLock.builder(connectionFactory, name)
            .defaults(lock.settings(), QuiverExecutor.of(beanFactory));
        beanFactory.getBeanProvider(RedisLockBuilderCustomizer.class)
            .orderedStream()
            .forEach((customizer) -> customizer.customize(name, builder));
        return builder.build();
    }

    @SuppressWarnings("rawtypes")
    static RedisDefaultDict redisDict(String name, QuiverProperties properties, BeanFactory beanFactory,
            RedisConnectionFactory connectionFactory) {
        return DictDefaults.from(beanFactory).redisDict(dict(name, properties, beanFactory), connectionFactory);
    }

    private static QuiverInstances.DictSpec dict(String name, QuiverProperties properties, BeanFactory beanFactory) {
        return find(name, "quiver.dicts", instances(properties, beanFactory).dicts(), QuiverInstances.DictSpec::name);
    }

    private static QuiverInstances instances(QuiverProperties properties, BeanFactory beanFactory) {
        @Nullable ClassLoader classLoader = (beanFactory instanceof ConfigurableBeanFactory configurable)
                ? configurable.getBeanClassLoader() : null;
        return QuiverInstances.of(properties, classLoader);
    }

    /**
     * Returns the instance of that name; with ahead-of-time processing the beans were chosen when the application was
     * built, so a name may since have left the properties.
     */
    private static <S> S find(String name, String group, List<S> specs, Function<S, String> names) {
        return specs.stream()
            .filter((spec) -> names.apply(spec).equals(name))
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("Bean '" + name + "' is a Quiver bean of " + group
                    + ", but " + group + " no longer names it; ahead-of-time processing chose the beans when the "
                    + "application was built, so build it again with the properties it runs with"));
    }
}
