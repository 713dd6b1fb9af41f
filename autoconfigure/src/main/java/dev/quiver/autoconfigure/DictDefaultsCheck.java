package dev.quiver.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Stops start-up when a {@link DictDefault} bean names a dict that is not configured, does not fit its value type,
 * or shares its dict with another default.
 */
final class DictDefaultsCheck implements SmartInitializingSingleton, BeanFactoryAware, BeanClassLoaderAware {

    private @Nullable BeanFactory beanFactory;

    private @Nullable ClassLoader classLoader;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public void afterSingletonsInstantiated() {
        BeanFactory factory = this.beanFactory;
        if (factory == null) {
            return;
        }
        QuiverProperties properties = factory.getBean(QuiverProperties.class);
        DictDefaults.from(factory).check(QuiverInstances.of(properties, this.classLoader).dicts());
    }
}
