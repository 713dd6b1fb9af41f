package dev.quiver.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.quiver.sample.RedisUnavailableAssertions.assertRedisUnavailable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app started while no Redis listens where it points (with a password in the URL): it starts, the local
 * endpoints work, the Redis endpoints answer 503 without leaking the password, and health says Redis is down.
 */
@DirtiesContext // a cached context would keep reconnecting to a Redis that is gone while other tests run
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisDownAtStartTests {

    private static final String PASSWORD = "sample-secret";

    private static final int DEAD_PORT = freePort();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> "redis://:" + PASSWORD + "@127.0.0.1:" + DEAD_PORT);
    }

    @LocalServerPort
    private int port;

    private SampleHttp http;

    @BeforeEach
    void http() {
        this.http = new SampleHttp(this.port);
    }

    @Test
    void localEndpointsWorkWithoutRedis() {
        assertThat(this.http.get("/players/ann").ok().json().get("name").asString()).isEqualTo("Ann");
        assertThat(this.http.get("/players/ann/matches").ok().json()).hasSize(3);
        assertThat(this.http.get("/players/ann/history").ok().json()).hasSize(3);
        assertThat(this.http.post("/index/rebuild").ok().json().get("rebuild").asLong()).isPositive();
        this.http.get("/actuator/metrics/cache.gets").ok();
    }

    @Test
    void redisEndpointsAnswer503WithoutLeakingThePassword() {
        SampleHttp.Response score = this.http.post("/players/ann/score?delta=1");
        SampleHttp.Response leaderboard = this.http.get("/leaderboard?ids=ann,bob");

        assertRedisUnavailable(score, "127.0.0.1:" + DEAD_PORT);
        assertRedisUnavailable(leaderboard, "127.0.0.1:" + DEAD_PORT);
        assertThat(score.body()).doesNotContain(PASSWORD);
        assertThat(leaderboard.body()).doesNotContain(PASSWORD);
    }

    @Test
    void healthSaysRedisIsDown() {
        SampleHttp.Response health = this.http.get("/actuator/health");

        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
        assertThat(health.json().at("/components/redis/status").asString()).isEqualTo("DOWN");
        assertThat(health.body()).doesNotContain(PASSWORD);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
