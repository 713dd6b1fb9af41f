package dev.quiver.locks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisMonitor;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisLock}'s commands when they run twice, as Lettuce re-sends a command that was written but not answered
 * when its connection drops, when an acquisition tries many times, and when a caller stops waiting for a command:
 * each command is idempotent for its try, and its clean-up runs whatever the caller does with its future.
 */
@RedisTest
class RedisLockResentCommandTest {

    @Test
    void anAcquireThatRanTwiceHoldsTheLockBothTimes(LettuceConnectionFactory factory) {
        RedisLock lock = RedisLock.builder(factory, "resent").build();
        RedisLockClient client = lock.client();
        LockToken token = LockToken.next();
        long fence = client.await(acquire(lock, token));
        assertThat(fence).isPositive();
        assertThat(client.await(acquire(lock, token)))
            .as("the same try run again finds the key holding its own token").isEqualTo(fence);
    }

    @Test
    void aReleaseThatRanTwiceSucceedsBothTimesAndLeavesALaterHolderAlone(LettuceConnectionFactory factory) {
        RedisLock lock = RedisLock.builder(factory, "resent").build();
        RedisLockClient client = lock.client();
        LockToken token = LockToken.next();
        LockToken later = LockToken.next();
        assertThat(client.await(acquire(lock, token))).isPositive();
        assertThat(client.await(client.release(lock.keyBytes(), lock.fenceKeyBytes(), token.bytes()))).isEqualTo(1L);
        assertThat(client.await(acquire(lock, later))).isPositive();
        assertThat(client.await(client.release(lock.keyBytes(), lock.fenceKeyBytes(), token.bytes())))
            .as("the release run again").isEqualTo(1L);
        assertThat(client.await(client.get(lock.keyBytes()))).isEqualTo(later.bytes());
    }

    @Test
    void anExtendThatRanTwiceAddsItsTimeOnce(LettuceConnectionFactory factory) {
        RedisLock lock = RedisLock.builder(factory, "resent").timeout(Duration.ofSeconds(10)).build();
        StringRedisTemplate raw = new StringRedisTemplate(factory);
        RedisLockClient client = lock.client();
        LockToken token = LockToken.next();
        assertThat(client.await(acquire(lock, token))).isPositive();
        byte[] call = LockToken.next().bytes();
        assertThat(client.await(client.extend(lock.keyBytes(), lock.fenceKeyBytes(), token.bytes(), 10_000, call)))
            .isEqualTo(1L);
        assertThat(client.await(client.extend(lock.keyBytes(), lock.fenceKeyBytes(), token.bytes(), 10_000, call)))
            .as("the extend run again").isEqualTo(1L);
        assertThat(raw.getExpire(lock.key(), TimeUnit.MILLISECONDS)).isBetween(15_000L, 20_000L);
    }

    @Test
    void aPassThatRanTwiceReportsTheHandOverBothTimes(LettuceConnectionFactory factory) {
        RedisLock lock = RedisLock.builder(factory, "resent").build();
        RedisLockClient client = lock.client();
        LockToken token = LockToken.next();
        LockToken next = LockToken.next();
        assertThat(client.await(acquire(lock, token))).isPositive();
        long passed = client.await(pass(lock, token, next));
        assertThat(passed).isPositive();
        assertThat(client.await(pass(lock, token, next))).as("the pass run again").isEqualTo(passed);
        assertThat(client.await(client.get(lock.keyBytes()))).isEqualTo(next.bytes());
    }

    @Test
    void everyTryOfOneAcquisitionCarriesAFreshTokenSoThatALateUndoCannotHitALaterTry(RedisEndpoint redis,
            LettuceConnectionFactory factory) {
        StringRedisTemplate raw = new StringRedisTemplate(factory);
        RedisLock lock = RedisLock.builder(factory, "fresh").sleep(Duration.ofMillis(20)).build();
        raw.opsForValue().set(lock.key(), "someone-else", Duration.ofMillis(400));
        try (RedisMonitor monitor = RedisMonitor.start(redis)) {
            lock.acquire().join().close();
            Map<String, Integer> tries = new HashMap<>();
            for (List<String> command : monitor.commands()) {
                if (isTry(command, lock.key())) {
                    // EVALSHA sha 2 key fence-key token ...
                    tries.merge(command.get(5), 1, Integer::sum);
                }
            }
            assertThat(tries).as("tries of the acquisition by token").hasSizeGreaterThan(3);
            assertThat(tries.values()).as("tries per token").allMatch((count) -> count == 1);
        }
    }

    @Test
    void aTryWhoseCallerStoppedWaitingGivesTheLockBackWhenItRunsLate(RedisServers servers) {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory();
        try {
            StringRedisTemplate raw = new StringRedisTemplate(factory);
            RedisLock lock = RedisLock.builder(factory, "late").timeout(Duration.ofSeconds(30)).build();
            String fenceKey = new String(lock.fenceKeyBytes(), StandardCharsets.UTF_8);
            assertThat(lock.isLocked()).isFalse();
            server.command("CLIENT", "PAUSE", "300", "WRITE");
            CompletableFuture<Long> tried = acquire(lock, LockToken.next());
            tried.cancel(false);
            await().atMost(Duration.ofSeconds(5)).until(() -> raw.hasKey(fenceKey));
            await().atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(raw.hasKey(lock.key())).as("the lock key after the late try")
                    .isFalse());
        }
        finally {
            factory.destroy();
        }
    }

    private static CompletableFuture<Long> acquire(RedisLock lock, LockToken token) {
        return lock.client().acquire(lock.keyBytes(), lock.fenceKeyBytes(), token.bytes(), lock.timeoutMillis(),
                lock.fenceMillis(), lock.waitMillis());
    }

    private static CompletableFuture<Long> pass(RedisLock lock, LockToken token, LockToken next) {
        return lock.client().pass(lock.keyBytes(), lock.fenceKeyBytes(), token.bytes(), next.bytes(),
                lock.timeoutMillis(), lock.fenceMillis());
    }

    /** A try to take the lock: the acquire script run on the lock key. */
    private static boolean isTry(List<String> command, String key) {
        return command.size() > 5 && command.get(0).toLowerCase(Locale.ROOT).startsWith("eval")
                && (command.get(1).equals(RedisLockScripts.ACQUIRE.sha1())
                        || command.get(1).equals(RedisLockScripts.ACQUIRE.text()))
                && command.get(3).equals(key);
    }
}
