package dev.quiver.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where a test's Redis listens: host, port, optional password and database.
 *
 * @param host the host name or address
 * @param port the TCP port
 * @param password the {@code requirepass} password, or {@code null}
 * @param database the database index the test uses
 */
public record RedisEndpoint(String host, int port, @Nullable String password, int database) {

    /**
     * Parses a {@code redis://[:password@]host:port[/db]} URL.
     *
     * @param url the URL
     * @return the endpoint
     */
    public static RedisEndpoint parse(String url) {
        URI uri = URI.create(url);
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("Not a redis://host:port URL: '" + url + "'");
        }
        String password = null;
        if (uri.getUserInfo() != null) {
            String userInfo = uri.getUserInfo();
            password = userInfo.substring(userInfo.indexOf(':') + 1);
        }
        String path = uri.getPath();
        int database = (path == null || path.length() <= 1) ? 0 : Integer.parseInt(path.substring(1));
        return new RedisEndpoint(uri.getHost(), (uri.getPort() > 0) ? uri.getPort() : 6379, password, database);
    }

    /**
     * Returns the endpoint as a {@code redis://} URL, in the form {@code spring.data.redis.url} takes.
     *
     * @return the URL
     */
    public String url() {
        String auth = (this.password != null) ? ":" + this.password + "@" : "";
        return "redis://" + auth + this.host + ":" + this.port + "/" + this.database;
    }

    /**
     * Creates and starts a Lettuce connection factory for this endpoint; the caller destroys it.
     *
     * @return a started connection factory
     */
    public LettuceConnectionFactory newConnectionFactory() {
        return newConnectionFactory(Duration.ofSeconds(5));
    }

    /**
     * Creates and starts a Lettuce connection factory with the given command timeout; the caller destroys it.
     *
     * @param commandTimeout how long a command may take before it fails
     * @return a started connection factory
     */
    public LettuceConnectionFactory newConnectionFactory(Duration commandTimeout) {
        return newConnectionFactory(LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build());
    }

    /**
     * Creates and starts a Lettuce connection factory with the given client configuration (e.g. client resources of
     * a test's own); the caller destroys it.
     *
     * @param client the client configuration
     * @return a started connection factory
     */
    public LettuceConnectionFactory newConnectionFactory(LettuceClientConfiguration client) {
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(this.host, this.port);
        configuration.setDatabase(this.database);
        if (this.password != null) {
            configuration.setPassword(this.password);
        }
        LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /**
     * Returns how many clients subscribe to a channel now ({@code PUBSUB NUMSUB}).
     *
     * @param channel the channel
     * @return the number of subscribers
     */
    public long subscribers(String channel) {
        try {
            return Long.parseLong(RedisProbe.array(this, "PUBSUB", "NUMSUB", channel).get(1));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("PUBSUB NUMSUB " + channel + " failed at " + this, ex);
        }
    }

    @Override
    public String toString() {
        return this.host + ":" + this.port + "/" + this.database + ((this.password != null) ? " (password)" : "");
    }
}
