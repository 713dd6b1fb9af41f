package dev.quiver.testsupport;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The JUnit extension behind {@link RedisTest}: resolves {@link RedisEndpoint}, {@link RedisServers} and
 * {@link LettuceConnectionFactory} (started, on the shared Redis) parameters, and empties the shared Redis before
 * every test.
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
        return type == RedisEndpoint.class || type == RedisServers.class || type == LettuceConnectionFactory.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Class<?> type = parameterContext.getParameter().getType();
        if (type == RedisEndpoint.class) {
            return SharedRedis.endpoint();
        }
        if (type == LettuceConnectionFactory.class) {
            // a started factory on the shared Redis, destroyed by JUnit with the context that asked for it
            return extensionContext.getStore(NAMESPACE)
                .computeIfAbsent(ConnectionFactoryResource.class,
                        (key) -> new ConnectionFactoryResource(SharedRedis.endpoint().newConnectionFactory()),
                        ConnectionFactoryResource.class)
                .factory();
        }
        // one RedisServers per test (or per class, for a constructor parameter), closed by JUnit with its context
        return extensionContext.getStore(NAMESPACE)
            .computeIfAbsent(RedisServers.class, (key) -> new RedisServers(), RedisServers.class);
    }

    /** A connection factory that JUnit destroys when the context that made it closes. */
    private record ConnectionFactoryResource(LettuceConnectionFactory factory) implements AutoCloseable {

        @Override
        public void close() {
            this.factory.destroy();
        }
    }
}
