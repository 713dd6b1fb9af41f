package dev.quiver.sample;

import java.time.Duration;

import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static dev.quiver.sample.RedisUnavailableAssertions.assertRedisUnavailable;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app on a Redis of its own that stops while the app runs: the Redis endpoints answer 503 with a JSON
 * error, quickly, the local endpoints keep working, health says Redis is down, and all is well again once Redis is
 * back.
 */
@DirtiesContext // a cached context would keep reconnecting to a Redis that is gone while other tests run
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisGoesDownTests {

    private static final RedisServers SERVERS = new RedisServers();

    private static RedisServerProcess redis;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> server().endpoint().url());
    }

    private static synchronized RedisServerProcess server() {
        if (redis == null) {
            redis = SERVERS.start();
        }
        return redis;
    }

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    @LocalServerPort
    private int port;

    private SampleHttp http;

    @BeforeEach
    void http() {
        this.http = new SampleHttp(this.port);
    }

    @Test
    void redisEndpointsAnswer503WhileRedisIsDownAndRecoverWhenItIsBack() {
        // the first Redis call opens the app's connections, which on a busy machine can outlast the sample's 500 ms
        // timeouts; what this test is about starts once Redis has answered
        await().atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(this.http.post("/players/warm-up/score?delta=1").status()).isEqualTo(200));
        assertThat(this.http.post("/players/ann/score?delta=2").ok().json().get("score").asLong()).isEqualTo(2);
        assertThat(this.http.get("/actuator/health").ok().json().at("/components/redis/status").asString())
            .isEqualTo("UP");

        server().stop();

        String address = "127.0.0.1:" + server().port();
        assertRedisUnavailable(this.http.post("/players/ann/score?delta=3"), address);
        assertRedisUnavailable(this.http.get("/leaderboard?ids=ann,bob"), address);

        this.http.get("/players/ann").ok();
        assertThat(this.http.get("/players/ann/matches").ok().json()).hasSize(3);
        assertThat(this.http.get("/players/ann/history").ok().json()).hasSize(3);
        this.http.post("/index/rebuild").ok();
        this.http.get("/upstream").ok();
        this.http.get("/actuator/metrics/cache.gets").ok();

        SampleHttp.Response health = this.http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(503);
        assertThat(health.json().get("status").asString()).isEqualTo("DOWN");
        assertThat(health.json().at("/components/redis/status").asString()).isEqualTo("DOWN");

        server().restart();

        // Lettuce reconnects by itself; the restarted server is empty, so the score starts again from 0. The retries go
        // to another player: an update that failed (a reply lost to a timeout, a release after the write that
        // failed) may still have written its score, so retrying bob's own update could add its delta twice
        await().atMost(Duration.ofSeconds(60))
            .untilAsserted(() -> assertThat(this.http.post("/players/warm-up/score?delta=1").status()).isEqualTo(200));
        assertThat(this.http.post("/players/bob/score?delta=5").ok().json().get("score").asLong()).isEqualTo(5);
        assertThat(this.http.get("/leaderboard?ids=bob").ok().json().get(0).get("score").asLong()).isEqualTo(5);
        assertThat(this.http.get("/actuator/health").ok().json().get("status").asString()).isEqualTo("UP");
    }

}
