package dev.quiver.sample;

import java.time.Duration;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user sees from a Redis endpoint while Redis is down.
 */
final class RedisUnavailableAssertions {

    private RedisUnavailableAssertions() {
    }

    /**
     * Checks for a 503 with the {@code redis_unavailable} JSON error naming the Redis address, answered within 5 s.
     */
    static void assertRedisUnavailable(SampleHttp.Response response, String address) {
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        JsonNode error = response.json();
        assertThat(error.get("error").asString()).isEqualTo("redis_unavailable");
        assertThat(error.get("message").asString()).startsWith("Redis is unreachable at " + address + ": ");
        assertThat(response.elapsed()).isLessThan(Duration.ofSeconds(5));
    }
}
