package dev.quiver.testsupport;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests of the Redis test harness itself: the shared server, throw-away servers and their faults, and a cluster.
 */
@RedisTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisHarnessTest {

    @Test
    @Order(1)
    void sharedRedisIsNotTheMachinesDefaultServerUnlessAskedFor(RedisEndpoint redis) {
        if (System.getenv(SharedRedis.URL_VARIABLE) == null) {
            assertThat(redis.port()).isNotEqualTo(6379);
        }
        assertThat(command(redis, "PING")).isEqualTo("+PONG");
    }

    @Test
    @Order(2)
    void aTestLeavesKeysBehind(RedisEndpoint redis) {
        assertThat(command(redis, "SET", "left-behind", "1")).isEqualTo("+OK");
    }

    @Test
    @Order(3)
    void theNextTestStartsFromAnEmptyKeyspace(RedisEndpoint redis) {
        assertThat(command(redis, "DBSIZE")).isEqualTo(":0");
    }

    @Test
    void throwAwayServerSurvivesKillAndRestartOnTheSamePort(RedisServers servers) {
        RedisServerProcess server = servers.start();
        int port = server.port();
        server.command("SET", "k", "v");
        long firstPid = server.pid();

        server.kill();
        assertThat(server.isRunning()).isFalse();
        assertThat(RedisProbe.answers("127.0.0.1", port)).isFalse();

        server.restart();
        assertThat(server.port()).isEqualTo(port);
        assertThat(server.pid()).isNotEqualTo(firstPid);
        assertThat(server.command("EXISTS", "k")).as("nothing is kept across a restart").isEqualTo(":0");
    }

    @Test
    void stoppedServerRefusesConnectionsUntilRestarted(RedisServers servers) {
        RedisServerProcess server = servers.start();
        server.stop();
        assertThatExceptionOfType(java.io.UncheckedIOException.class).isThrownBy(() -> server.command("PING"));
        server.restart();
        assertThat(server.command("PING")).isEqualTo("+PONG");
    }

    @Test
    void passwordProtectedServerRefusesAnonymousClientsAndServesTheRightPassword(RedisServers servers) {
        RedisServerProcess server = servers.start("s3cret-pass");
        assertThat(server.command("PING")).isEqualTo("+PONG");
        RedisEndpoint anonymous = new RedisEndpoint("127.0.0.1", server.port(), null, 0);
        assertThat(command(anonymous, "PING")).startsWith("-NOAUTH");

        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory();
        try {
            StringRedisTemplate template = new StringRedisTemplate(factory);
            template.opsForValue().set("greeting", "hello");
            assertThat(template.opsForValue().get("greeting")).isEqualTo("hello");
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void pausedServerAnswersNothingUntilResumed(RedisServers servers) {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory(Duration.ofMillis(300));
        try (RedisConnection connection = factory.getConnection()) {
            server.pause();
            assertThatExceptionOfType(RuntimeException.class).isThrownBy(connection::ping);
            server.resume();
            assertThat(connection.ping()).isEqualTo("PONG");
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void clusterOfThreeMastersServesKeysInEverySlot(RedisServers servers) {
        RedisClusterProcesses cluster = servers.cluster(3);
        LettuceConnectionFactory factory = cluster.newConnectionFactory();
        try {
            StringRedisTemplate template = new StringRedisTemplate(factory);
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < 50; i++) {
                values.put("key-" + i, "value-" + i);
            }
            values.forEach(template.opsForValue()::set);
            values.forEach((key, value) -> assertThat(template.opsForValue().get(key)).isEqualTo(value));
            for (RedisServerProcess node : cluster.nodes()) {
                assertThat(node.command("DBSIZE")).as("every master holds some of the keys").isNotEqualTo(":0");
            }
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void aConnectionFactoryParameterIsStartedOnTheSharedRedis(LettuceConnectionFactory factory, RedisEndpoint redis) {
        new StringRedisTemplate(factory).opsForValue().set("through-factory", "yes");
        assertThat(command(redis, "GET", "through-factory")).isEqualTo("yes");
        assertThat(factory.isRunning()).isTrue();
    }

    @Test
    void endpointUrlRoundTrips() {
        RedisEndpoint endpoint = new RedisEndpoint("127.0.0.1", 7001, "pw", 3);
        assertThat(RedisEndpoint.parse(endpoint.url())).isEqualTo(endpoint);
        assertThat(endpoint.toString()).doesNotContain("pw");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> RedisEndpoint.parse("http://x:1"));
    }

    @Test
    void commandsOnAStoppedServerNameThePort(RedisServers servers) {
        RedisServerProcess server = servers.start();
        server.kill();
        assertThatIllegalStateException().isThrownBy(server::pid).withMessageContaining(String.valueOf(server.port()));
    }

    private static String command(RedisEndpoint redis, String... args) {
        try {
            return RedisProbe.command(redis, args);
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

}
