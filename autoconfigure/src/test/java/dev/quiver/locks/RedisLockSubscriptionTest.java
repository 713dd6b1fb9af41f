package dev.quiver.locks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.quiver.testsupport.RedisTest;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The release subscription of {@link RedisLock}'s waiters: it stays in place while waiters count on it, whatever
 * the order in which an idle waiters object and a newer one come and go.
 */
@RedisTest
class RedisLockSubscriptionTest {

    @Test
    void anIdleWaitersObjectThatClosesLateLeavesTheSubscriptionOfANewerOneInPlace(LettuceConnectionFactory factory) {
        RedisLock lock = RedisLock.builder(factory, "resubscribed").build();
        RedisLockClient client = lock.client();
        StringRedisTemplate raw = new StringRedisTemplate(factory);
        // the interleaving of scenario 4, step by step: the idle waiters leave the map, a new acquisition's waiters
        // subscribe, and only then does the idle one's unsubscribe go out
        RedisLockWaiters idle = client.waiters(lock.key());
        client.subscribe(idle).join();
        client.remove(idle);
        RedisLockWaiters newer = client.waiters(lock.key());
        assertThat(newer).isNotSameAs(idle);
        client.subscribe(newer).join();
        client.unsubscribe(idle);
        await().during(Duration.ofMillis(300))
            .atMost(Duration.ofSeconds(2))
            .until(() -> subscribers(raw, lock.key()) == 1);
        client.unsubscribe(newer);
        await().atMost(Duration.ofSeconds(2)).until(() -> subscribers(raw, lock.key()) == 0);
    }

    static long subscribers(StringRedisTemplate raw, String channel) {
        return raw.execute((RedisCallback<Long>) (connection) -> {
            @SuppressWarnings("unchecked")
            RedisClusterAsyncCommands<byte[], byte[]> commands = (RedisClusterAsyncCommands<byte[], byte[]>) connection
                .getNativeConnection();
            try {
                return commands.pubsubNumsub(channel.getBytes(StandardCharsets.UTF_8))
                    .get(5, TimeUnit.SECONDS)
                    .values()
                    .iterator()
                    .next();
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
    }
}
