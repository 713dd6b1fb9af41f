package dev.quiver.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * The one Redis that all tests of a JVM share, found or started once, in this order:
 * <ol>
 * <li>{@code QUIVER_TEST_REDIS_URL} (environment variable or system property), if set;</li>
 * <li>a {@code redis-server} on the {@code PATH}, started on a free port and killed when the JVM exits;</li>
 * <li>a Testcontainers {@code redis:7} container, when a Docker engine runs;</li>
 * <li>otherwise a failure that says which of those to provide.</li>
 * </ol>
 * Fault tests never use it: they start their own {@link RedisServerProcess}.
 */
public final class SharedRedis {

    /** The environment variable (or system property) that points the tests at an existing Redis. */
    public static final String URL_VARIABLE = "QUIVER_TEST_REDIS_URL";

    private static @Nullable RedisEndpoint endpoint;

    private SharedRedis() {
    }

    /**
     * Returns the shared Redis, finding or starting it on first use.
     *
     * @return the endpoint
     * @throws IllegalStateException if no Redis can be provided
     */
    public static synchronized RedisEndpoint endpoint() {
        if (endpoint == null) {
            endpoint = provide();
        }
        return endpoint;
    }

    /**
     * Empties the shared Redis's database, so a test starts from a clean keyspace.
     */
    public static void flush() {
        RedisEndpoint redis = endpoint();
        try {
            String reply = RedisProbe.command(redis, "FLUSHDB");
            if (!reply.startsWith("+OK")) {
                throw new IllegalStateException("FLUSHDB on " + redis + " answered " + reply);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Shared Redis " + redis + " did not answer FLUSHDB", ex);
        }
    }

    private static RedisEndpoint provide() {
        String url = System.getProperty(URL_VARIABLE, System.getenv(URL_VARIABLE));
        if (url != null && !url.isBlank()) {
            return RedisEndpoint.parse(url.strip());
        }
        if (RedisServerProcess.isAvailable()) {
            RedisServerProcess server = RedisServerProcess.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "quiver-test-redis-stop"));
            return server.endpoint();
        }
        if (dockerRuns()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7").withExposedPorts(6379);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "quiver-test-redis-container-stop"));
            return new RedisEndpoint(container.getHost(), container.getMappedPort(6379), null, 0);
        }
        throw new IllegalStateException("The tests need a Redis: set " + URL_VARIABLE
                + " (redis://host:port), put redis-server on the PATH (e.g. apt-get install redis-server), "
                + "or run a Docker engine for Testcontainers");
    }

    private static boolean dockerRuns() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        }
        catch (RuntimeException | LinkageError ex) {
            return false;
        }
    }
}
