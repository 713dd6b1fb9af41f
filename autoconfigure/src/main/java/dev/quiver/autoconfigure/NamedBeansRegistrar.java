package dev.quiver.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean per instance named under {@code quiver.*}. Each bean is made by a static factory method of
 * {@link NamedBeans} with the bean's name as its first argument, a definition Spring Boot's AOT engine can write as
 * code. The methods return raw types, so that an injection point chooses the type arguments
 * ({@code @Qualifier("quotes") ArrowCache<String, Quote>}); a bean the application defines under the same name wins.
 */
abstract class NamedBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {

    private @Nullable Environment environment;

    private @Nullable ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public final void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        QuiverProperties properties = Binder.get(environment())
            .bindOrCreate("quiver", QuiverProperties.class);
        registerBeans(QuiverInstances.of(properties, this.classLoader), properties, registry);
    }

    /**
     * Registers the beans of this registrar's kinds.
     *
     * @param instances the validated instances
     * @param properties the bound properties
     * @param registry where to register
     */
    abstract void registerBeans(QuiverInstances instances, QuiverProperties properties, BeanDefinitionRegistry registry);

    /**
     * Registers a bean under {@code name}, made by the {@link NamedBeans} method {@code factoryMethod}, unless the
     * application already defines one of that name.
     */
    final void register(BeanDefinitionRegistry registry, String name, Class<?> type, String factoryMethod) {
        if (registry.containsBeanDefinition(name)) {
            return;
        }
        RootBeanDefinition definition = new RootBeanDefinition(NamedBeans.class);
        definition.setFactoryMethodName(factoryMethod);
        definition.setTargetType(type);
        definition.setAutowireMode(AbstractBeanDefinition.AUTOWIRE_CONSTRUCTOR);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
        definition.setDescription("Quiver " + type.getSimpleName() + " '" + name + "' from quiver.* properties");
        registry.registerBeanDefinition(name, definition);
    }

    private Environment environment() {
        if (this.environment == null) {
            throw new IllegalStateException("Environment not set");
        }
        return this.environment;
    }
}
