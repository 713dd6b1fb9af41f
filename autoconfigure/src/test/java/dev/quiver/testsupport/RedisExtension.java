package dev.quiver.testsupport;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit extension behind {@link RedisTest}: resolves {@link RedisEndpoint} and {@link RedisServers} parameters
 * and empties the shared Redis before every test.
 */
public final class RedisExtension implements BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        SharedRedis.flush();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        return type == RedisEndpoint.class || type == RedisServers.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == RedisEndpoint.class) {
            return SharedRedis.endpoint();
        }
        // one RedisServers per test (or per class, for a constructor parameter), closed by JUnit with its context
        return extensionContext.getStore(NAMESPACE)
            .computeIfAbsent(RedisServers.class, (key) -> new RedisServers(), RedisServers.class);
    }
}
