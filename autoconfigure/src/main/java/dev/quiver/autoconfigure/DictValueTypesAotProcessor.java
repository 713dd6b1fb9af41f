package dev.quiver.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * Contributes the runtime hints of the value types configured under {@code quiver.dicts}: a dict loads its value type
 * by name and maps its values to and from JSON, which a GraalVM native image allows only for types it was told of.
 */
class DictValueTypesAotProcessor implements BeanFactoryInitializationAotProcessor {

    @Override
    public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
            ConfigurableListableBeanFactory beanFactory) {
        if (!beanFactory.containsBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME)
                || beanFactory.getBeanNamesForType(QuiverProperties.class, false, false).length == 0) {
            return null;
        }
        Environment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
                Environment.class);
        QuiverProperties properties = Binder.get(environment).bindOrCreate("quiver", QuiverProperties.class);
        Set<Class<?>> valueTypes = new LinkedHashSet<>();
        QuiverInstances.of(properties, beanFactory.getBeanClassLoader())
            .dicts()
            .forEach((dict) -> valueTypes.add(dict.valueType()));
        if (valueTypes.isEmpty()) {
            return null;
        }
        return (generationContext, code) -> {
            BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();
            valueTypes.forEach((type) -> bindingHints
                .registerReflectionHints(generationContext.getRuntimeHints().reflection(), type));
        };
    }
}
