package dev.quiver.locks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.quiver.testsupport.Pause;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link RedisLock} permit's fencing token, its lease and {@link Permit#lost()}, with and without lease renewal.
 */
@RedisTest
class RedisLockLeaseTest {

    private final List<LettuceConnectionFactory> factories = new ArrayList<>();

    private RedisEndpoint redis;

    private StringRedisTemplate raw;

    @BeforeEach
    void setUp(RedisEndpoint redis) {
        this.redis = redis;
        this.raw = new StringRedisTemplate(newFactory());
    }

    @AfterEach
    void tearDown() {
        this.factories.forEach(LettuceConnectionFactory::destroy);
    }

    @Test
    void fencingTokensGrowWithEveryAcquisitionAcrossInstancesFactoriesAndHandOvers() throws Exception {
        RedisLock first = RedisLock.builder(newFactory(), "fenced").build();
        RedisLock second = RedisLock.builder(newFactory(), "fenced").build();
        List<Long> tokens = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RedisLock lock = (i % 2 == 0) ? first : second;
            Permit permit = lock.acquire().join();
            tokens.add(permit.fencingToken());
            permit.close();
            assertThat(lock.tryAcquire()).isTrue();
            lock.release();
        }
        // a hand-over within one process gives the next waiter a token of its own
        Permit held = first.acquire().join();
        tokens.add(held.fencingToken());
        CompletableFuture<Permit> waiting = first.acquire();
        awaitSubscribed(first);
        held.close();
        Permit passed = waiting.get(5, TimeUnit.SECONDS);
        tokens.add(passed.fencingToken());
        passed.close();
        assertThat(tokens).isSorted().doesNotHaveDuplicates().allMatch((token) -> token > 0);
    }

    @Test
    void fencingTokensKeepGrowingAfterARestartThatLostEverything(RedisServers servers) {
        RedisServerProcess server = servers.start();
        LettuceConnectionFactory factory = server.endpoint().newConnectionFactory();
        try {
            RedisLock lock = RedisLock.builder(factory, "restarted").build();
            long before = lock.acquire().join().fencingToken();
            server.restart();
            Permit after = acquireOnceReconnected(lock);
            assertThat(after.fencingToken()).isGreaterThan(before);
            after.close();
            server.command("FLUSHALL");
            assertThat(acquireOnceReconnected(lock).fencingToken()).isGreaterThan(after.fencingToken());
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void lostCompletesWhenTheLeaseRunsOutWithoutRenewal() {
        RedisLock lock = RedisLock.builder(newFactory(), "leased").timeout(Duration.ofMillis(300)).build();
        long start = System.nanoTime();
        Permit permit = lock.acquire().join();
        permit.lost().orTimeout(5, TimeUnit.SECONDS).join();
        long elapsed = System.nanoTime() - start;
        assertThat(Duration.ofNanos(elapsed)).as("the loss is reported once the lease ran out, not before")
            .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void lostAskedForOnlyAfterTheLeaseRanOutCompletesAndAfterReleaseIsCancelled() {
        RedisLock lock = RedisLock.builder(newFactory(), "lease").timeout(Duration.ofMillis(300)).build();
        Permit expired = lock.acquire().join();
        Pause.millis(600);
        expired.lost().orTimeout(5, TimeUnit.SECONDS).join();
        RedisLock other = RedisLock.builder(newFactory(), "released").build();
        Permit released = other.acquire().join();
        released.close();
        assertThat(released.lost()).isCancelled();
    }

    @Test
    void aFenceKeyGoneUnderALongHoldIsGivenALifetimeAgainByTheReleaseAndByExtend() {
        // the fence key lives the lock's timeout and a minute; a hold extended or renewed past that outlives it
        RedisLock lock = RedisLock.builder(newFactory(), "long").timeout(Duration.ofSeconds(30)).build();
        String fenceKey = RedisLock.fenceKey(lock.key());
        Permit permit = lock.acquire().join();
        this.raw.delete(fenceKey);
        assertThat(lock.extend(Duration.ofSeconds(1)).join()).isTrue();
        assertThat(this.raw.getExpire(fenceKey, TimeUnit.MILLISECONDS)).isBetween(60_000L, 91_000L);
        this.raw.delete(fenceKey);
        permit.close();
        // the release wrote the released token into a fence key made anew: without a lifetime it would stay forever
        assertThat(this.raw.hasKey(fenceKey)).isTrue();
        assertThat(this.raw.getExpire(fenceKey, TimeUnit.MILLISECONDS)).isBetween(1L, 60_000L);
    }

    @Test
    void renewalsKeepTheFenceKeyAsLongAsTheLockKey() {
        RedisLock lock = RedisLock.builder(newFactory(), "renewed").timeout(Duration.ofSeconds(3)).leaseRenewal(true)
            .build();
        String fenceKey = RedisLock.fenceKey(lock.key());
        Permit permit = lock.acquire().join();
        // as if a minute had passed: the next renewal (after a third of the timeout, 1 s) keeps the fence key alive
        this.raw.expire(fenceKey, 2500, TimeUnit.MILLISECONDS);
        await().atMost(Duration.ofSeconds(5))
            .until(() -> this.raw.getExpire(fenceKey, TimeUnit.MILLISECONDS) > 60_000L);
        permit.close();
    }

    @Test
    void aTryRunAgainAfterItsFenceKeyWasLostAnswersANewerTokenAndKeepsIt() {
        RedisLock lock = RedisLock.builder(newFactory(), "rerun").build();
        RedisLockClient client = lock.client();
        byte[] fenceKey = RedisLock.fenceKey(lock.key()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] token = LockToken.next().bytes();
        long first = client.await(client.acquire(lock.keyBytes(), fenceKey, token, 5_000, 65_000, 500));
        this.raw.delete(RedisLock.fenceKey(lock.key()));
        // the same try again, as Lettuce re-sends it after a reconnect: the key holds its token already
        long again = client.await(client.acquire(lock.keyBytes(), fenceKey, token, 5_000, 65_000, 500));
        assertThat(again).isGreaterThan(first);
        assertThat(this.raw.<String, String>opsForHash().get(RedisLock.fenceKey(lock.key()), "n"))
            .isEqualTo(Long.toString(again));
        assertThat(this.raw.getExpire(RedisLock.fenceKey(lock.key()), TimeUnit.MILLISECONDS)).isBetween(1L, 65_000L);
    }

    @Test
    void releaseCancelsLostSoThatItsCallbacksNeverRun() {
        // The lease is long enough that a loaded machine cannot let it run out before close(), where lost()
        // would rightly fire; the pause then outlasts it, when an uncancelled lost() would have fired.
        RedisLock lock = RedisLock.builder(newFactory(), "leased").timeout(Duration.ofMillis(2000)).build();
        Permit permit = lock.acquire().join();
        AtomicBoolean aborted = new AtomicBoolean();
        permit.lost().thenRun(() -> aborted.set(true));
        permit.close();
        assertThat(permit.lost()).isCancelled();
        Pause.millis(2500);
        assertThat(aborted).isFalse();
    }

    @Test
    void leaseRenewalKeepsTheLockPastItsTimeoutUntilRelease() {
        RedisLock lock = RedisLock.builder(newFactory(), "renewed")
            .timeout(Duration.ofMillis(1500))
            .leaseRenewal(true)
            .build();
        RedisLock other = RedisLock.builder(newFactory(), "renewed").build();
        Permit permit = lock.acquire().join();
        Pause.millis(4000);
        assertThat(lock.isOwned()).isTrue();
        assertThat(other.tryAcquire()).isFalse();
        assertThat(permit.lost()).isNotDone();
        permit.close();
        assertThat(other.tryAcquire()).isTrue();
        other.release();
    }

    @Test
    void aRenewalThatFindsTheKeyTakenCompletesLostBeforeTheLeaseEnds() {
        RedisLock lock = RedisLock.builder(newFactory(), "renewed")
            .timeout(Duration.ofSeconds(6))
            .leaseRenewal(true)
            .build();
        Permit permit = lock.acquire().join();
        this.raw.opsForValue().set(lock.key(), "someone-else");
        // the first renewal is due after a third of the timeout
        permit.lost().orTimeout(4, TimeUnit.SECONDS).join();
        assertThat(this.raw.opsForValue().get(lock.key())).isEqualTo("someone-else");
    }

    @Test
    void extendPushesTheLeaseBack() {
        RedisLock lock = RedisLock.builder(newFactory(), "extended").timeout(Duration.ofSeconds(2)).build();
        Permit permit = lock.acquire().join();
        assertThat(lock.extend(Duration.ofSeconds(10)).join()).isTrue();
        Pause.millis(3000);
        assertThat(permit.lost()).isNotDone();
        permit.close();
    }

    @Test
    void withLockHandsThePermitToTheAction() {
        RedisLock lock = RedisLock.builder(newFactory(), "with").build();
        long token = lock.withLock((permit) -> CompletableFuture.completedFuture(permit.fencingToken())).join();
        assertThat(token).isPositive();
        assertThat(lock.isLocked()).isFalse();
    }

    private static Permit acquireOnceReconnected(RedisLock lock) {
        List<Permit> acquired = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15))
            .ignoreExceptions()
            .untilAsserted(() -> acquired.add(lock.acquire(Duration.ofMillis(500)).join()));
        return acquired.get(0);
    }

    private static void awaitSubscribed(RedisLock lock) {
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            RedisLockWaiters waiters = lock.client().waitersIfPresent(lock.key());
            return waiters != null && waiters.wakeups() > 0;
        });
    }

    private LettuceConnectionFactory newFactory() {
        LettuceConnectionFactory created = this.redis.newConnectionFactory();
        this.factories.add(created);
        return created;
    }
}
