package dev.quiver.dicts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.quiver.testsupport.RedisTest;

/**
 * Tests of the {@code MGET} that a dict sends straight through Lettuce, and of when it leaves the call to Spring.
 */
@RedisTest
class LettuceMgetTest {

    private final String prefix = "quiver:mget:" + UUID.randomUUID() + ":";

    private final LettuceMget mget = new LettuceMget(new PrefixedKeys(this.prefix));

    private LettuceConnectionFactory factory;

    @BeforeEach
    void connect(LettuceConnectionFactory factory) {
        this.factory = factory;
    }

    @Test
    void readsThePrefixedKeysInOrderWithNullForMissingOnes() {
        StringRedisTemplate redis = new StringRedisTemplate(this.factory);
        redis.opsForValue().set(this.prefix + "a", "1");
        redis.opsForValue().set(this.prefix + "café", "2");
        redis.opsForValue().set(this.prefix + "日本\uD83D\uDE00", "3");

        ValueStream values;
        try (RedisConnection connection = this.factory.getConnection()) {
            values = this.mget.mget(connection, List.of("a", "missing", "café", "日本\uD83D\uDE00", "a"));
        }

        assertThat(values).isNotNull();
        assertThat(strings(values)).containsExactly("1", null, "2", "3", "1");
    }

    @Test
    void leavesAPipelinedConnectionToSpring() {
        assertLeftToSpringWhile(RedisConnection::openPipeline, RedisConnection::closePipeline);
    }

    @Test
    void leavesATransactionToSpring() {
        assertLeftToSpringWhile(RedisConnection::multi, RedisConnection::discard);
    }

    /** Asserts that the direct MGET declines a connection between {@code begin} and {@code end}. */
    private void assertLeftToSpringWhile(Consumer<RedisConnection> begin, Consumer<RedisConnection> end) {
        try (RedisConnection connection = this.factory.getConnection()) {
            begin.accept(connection);
            try {
                assertThat(this.mget.mget(connection, List.of("a"))).isNull();
            }
            finally {
                end.accept(connection);
            }
        }
    }

    private static List<String> strings(ValueStream values) {
        List<String> strings = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.value(i);
            strings.add((value != null) ? new String(value, StandardCharsets.UTF_8) : null);
        }
        return strings;
    }
}
