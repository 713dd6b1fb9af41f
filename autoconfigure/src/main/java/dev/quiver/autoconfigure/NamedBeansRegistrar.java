package dev.quiver.autoconfigure;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean per instance named under {@code quiver.*}. Beans are registered by their raw class, so that an
 * injection point chooses the type arguments ({@code @Qualifier("quotes") ArrowCache<String, Quote>}); a bean the
 * application defines under the same name wins.
 */
abstract class NamedBeansRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanFactoryAware,
        BeanClassLoaderAware {

    private @Nullable Environment environment;

    private @Nullable BeanFactory beanFactory;

    private @Nullable ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
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
     * Registers a bean under {@code name} unless the application already defines one of that name.
     */
    final <T> void register(BeanDefinitionRegistry registry, String name, Class<T> type, Supplier<T> supplier) {
        if (registry.containsBeanDefinition(name)) {
            return;
        }
        RootBeanDefinition definition = new RootBeanDefinition(type);
        definition.setInstanceSupplier(supplier);
        definition.setDescription("Quiver " + type.getSimpleName() + " '" + name + "' from quiver.* properties");
        registry.registerBeanDefinition(name, definition);
    }

    final BeanFactory beanFactory() {
        if (this.beanFactory == null) {
            throw new IllegalStateException("BeanFactory not set");
        }
        return this.beanFactory;
    }

    private Environment environment() {
        if (this.environment == null) {
            throw new IllegalStateException("Environment not set");
        }
        return this.environment;
    }
}
