package dev.quiver.testsupport;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Throw-away Redis servers for one test: everything started through it is killed when the test ends. Inject it as a
 * test method or constructor parameter of a {@link RedisTest} class.
 */
public final class RedisServers implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();

    /**
     * Starts a server of the test's own on a free port.
     *
     * @return the running server
     */
    public synchronized RedisServerProcess start() {
        return track(RedisServerProcess.start());
    }

    /**
     * Starts a server of the test's own that requires a password.
     *
     * @param password the {@code requirepass} password
     * @param extraArgs further {@code redis-server} arguments
     * @return the running server
     */
    public synchronized RedisServerProcess start(@Nullable String password, String... extraArgs) {
        return track(RedisServerProcess.start(password, extraArgs));
    }

    /**
     * Starts a Redis Cluster of the test's own with the given number of masters.
     *
     * @param masters how many masters (at least 3)
     * @return the running cluster
     */
    public synchronized RedisClusterProcesses cluster(int masters) {
        return track(RedisClusterProcesses.start(masters));
    }

    /**
     * Kills every server this test started.
     */
    @Override
    public synchronized void close() {
        for (AutoCloseable server : this.started) {
            try {
                server.close();
            }
            catch (Exception ex) {
                // keep closing the others: a failed clean-up must not hide the test's own outcome
            }
        }
        this.started.clear();
    }

    private <T extends AutoCloseable> T track(T server) {
        this.started.add(server);
        return server;
    }
}
