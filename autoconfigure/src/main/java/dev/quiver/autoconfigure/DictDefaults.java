package dev.quiver.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/**
 * The application's {@link DictDefault} beans, matched to the configured dicts by name, with each default's results
 * checked against the dict's value type.
 */
final class DictDefaults {

    private final ListableBeanFactory beanFactory;

    private DictDefaults(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    static DictDefaults from(BeanFactory beanFactory) {
        if (!(beanFactory instanceof ListableBeanFactory listable)) {
            throw new IllegalStateException("Quiver dicts need a ListableBeanFactory, not " + beanFactory);
        }
        return new DictDefaults(listable);
    }

    /**
     * Builds the local dict of a spec, with its default if the application defines one.
     */
    @SuppressWarnings("unchecked")
    MultiDefaultDict<String, Object> localDict(QuiverInstances.DictSpec dict) {
        Class<Object> valueType = (Class<Object>) dict.valueType();
        DictDefault<?> found = find(dict.name());
        if (found == null) {
            return new MultiDefaultDict<>(String.class, valueType, (key) -> {
                throw new NoSuchElementException(
                        "No value for key '" + key + "' in dict '" + dict.name() + "', and it has no DictDefault");
            });
        }
        if (found.isAsync()) {
            return MultiDefaultDict.async(String.class, valueType, checkedAsync(dict, found));
        }
        return new MultiDefaultDict<>(String.class, valueType, checkedSync(dict, found));
    }

    /**
     * Builds the Redis dict of a spec, with its default if the application defines one, mapping values to JSON with
     * the application's Jackson mapper when it has one.
     */
    @SuppressWarnings("unchecked")
    RedisDefaultDict<Object> redisDict(QuiverInstances.DictSpec dict, RedisConnectionFactory connectionFactory) {
        RedisDefaultDict.Builder<Object> builder = RedisDefaultDict
            .builder(connectionFactory, (Class<Object>) dict.valueType())
            .prefix(dict.prefix())
            .defaultExecutor(QuiverExecutor.of(this.beanFactory));
        if (!dict.ttl().isZero()) {
            builder.ttl(dict.ttl());
        }
        JsonMapper jsonMapper = this.beanFactory.getBeanProvider(JsonMapper.class).getIfUnique();
        if (jsonMapper != null) {
            builder.jsonMapper(jsonMapper);
        }
        DictDefault<?> found = find(dict.name());
        if (found != null && found.isAsync()) {
            builder.asyncDefaults(checkedAsync(dict, found));
        }
        else if (found != null) {
            builder.defaults(checkedSync(dict, found));
        }
        this.beanFactory.getBeanProvider(RedisDefaultDictBuilderCustomizer.class)
            .orderedStream()
            .forEach((customizer) -> customizer.customize(dict.name(), builder));
        return builder.build();
    }

    /**
     * Returns the one default for the dict, or {@code null} when the application defines none.
     *
     * @throws IllegalStateException if two defaults name the dict
     */
    @Nullable DictDefault<?> find(String dictName) {
        List<String> beanNames = new ArrayList<>();
        DictDefault<?> found = null;
        for (Map.Entry<String, DictDefault> bean : this.beanFactory.getBeansOfType(DictDefault.class).entrySet()) {
            if (bean.getValue().dictName().equals(dictName)) {
                beanNames.add(bean.getKey());
                found = bean.getValue();
            }
        }
        if (beanNames.size() > 1) {
            throw new IllegalStateException(
                    "Dict '" + dictName + "' has " + beanNames.size() + " DictDefault beans " + beanNames
                            + ": define exactly one");
        }
        return found;
    }

    /**
     * Checks that every DictDefault bean names one of the configured dicts and fits its value type.
     *
     * @throws IllegalStateException naming the dict otherwise
     */
    void check(List<QuiverInstances.DictSpec> dicts) {
        Map<String, DictDefault> beans = this.beanFactory.getBeansOfType(DictDefault.class);
        beans.forEach((beanName, dictDefault) -> {
            QuiverInstances.DictSpec dict = dicts.stream()
                .filter((spec) -> spec.name().equals(dictDefault.dictName()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("DictDefault bean '" + beanName + "' is for dict '"
                        + dictDefault.dictName() + "', which is not configured: add it under quiver.dicts "
                        + "(names or instances), or correct the name (configured: "
                        + dicts.stream().map(QuiverInstances.DictSpec::name).toList() + ")"));
            checkType(beanName, dictDefault, dict);
        });
        dicts.forEach((dict) -> find(dict.name()));
    }

    private void checkType(String beanName, DictDefault<?> dictDefault, QuiverInstances.DictSpec dict) {
        Class<?> declared = (dictDefault.valueType() != null) ? dictDefault.valueType() : declaredValueType(beanName);
        if (declared != null && !ClassUtils.isAssignable(dict.valueType(), declared)) {
            throw new IllegalStateException("DictDefault bean '" + beanName + "' does not fit dict '" + dict.name()
                    + "': the dict's value-type is " + dict.valueType().getName() + ", the default's is "
                    + declared.getName() + "; make them the same type");
        }
    }

    /**
     * Returns the value type a DictDefault bean declares through its generic type (a {@code @Bean} method returning
     * {@code DictDefault<Long>}), or {@code null} where it is not known; results are still checked one by one.
     */
    private @Nullable Class<?> declaredValueType(String beanName) {
        if (this.beanFactory instanceof ConfigurableListableBeanFactory configurable
                && configurable.containsBeanDefinition(beanName)) {
            return configurable.getMergedBeanDefinition(beanName).getResolvableType().as(DictDefault.class)
                .getGeneric(0)
                .resolve();
        }
        return null;
    }

    private static Function<String, Object> checkedSync(QuiverInstances.DictSpec dict, DictDefault<?> found) {
        Function<String, ?> defaults = found.syncDefaults();
        return (key) -> checkedValue(dict, key, defaults.apply(key));
    }

    private static Function<String, CompletionStage<Object>> checkedAsync(QuiverInstances.DictSpec dict,
            DictDefault<?> found) {
        Function<String, ? extends CompletionStage<?>> defaults = found.asyncDefaults();
        return (key) -> defaults.apply(key).thenApply((value) -> checkedValue(dict, key, value));
    }

    static Object checkedValue(QuiverInstances.DictSpec dict, String key, @Nullable Object value) {
        if (value != null && !dict.valueType().isInstance(value)) {
            throw new ClassCastException("The default of dict '" + dict.name() + "' returned a "
                    + value.getClass().getName() + " for key '" + key + "', but the dict's value-type is "
                    + dict.valueType().getName());
        }
        return value;
    }
}
