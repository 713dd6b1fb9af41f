package dev.quiver.locks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The release subscription of {@link RedisLock}'s waiters: it stays in place while waiters count on it, whatever
 * the order in which an idle waiters object and a newer one come and go; and a process whose waiters cannot
 * subscribe is not starved by one that hands the lock from waiter to waiter within itself.
 */
@RedisTest
class RedisLockSubscriptionTest {

    @Test
    void anIdleWaitersObjectThatClosesLateLeavesTheSubscriptionOfANewerOneInPlace(LettuceConnectionFactory factory,
            RedisEndpoint redis) {
        RedisLock lock = RedisLock.builder(factory, "resubscribed").build();
        RedisLockClient client = lock.client();
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
            .until(() -> redis.subscribers(lock.key()) == 1);
        client.unsubscribe(newer);
        await().atMost(Duration.ofSeconds(2)).until(() -> redis.subscribers(lock.key()) == 0);
    }

    @Test
    void aProcessThatCannotSubscribeStillGetsTheLockFromAProcessThatKeepsHandingItOver(RedisServers servers)
            throws Exception {
        RedisServerProcess server = servers.start();
        // a user who may not subscribe: its waiters only poll, invisible to PUBSUB NUMSUB (nor may it publish, so its
        // lock is left to expire rather than released)
        server.command("ACL", "SETUSER", "poller", "on", ">poller-pass", "~*", "resetchannels", "+@all");
        LettuceConnectionFactory handing = server.endpoint().newConnectionFactory();
        LettuceConnectionFactory polling = pollerFactory(server);
        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<Void> chainEnded = new CompletableFuture<>();
        try {
            RedisLock handingLock = RedisLock.builder(handing, "starved").build();
            RedisLock pollingLock = RedisLock.builder(polling, "starved")
                .timeout(Duration.ofMillis(300))
                .blockingTimeout(Duration.ofSeconds(3))
                .build();
            holdAndHandOver(handingLock, handingLock.acquire().join(), running, chainEnded);
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                RedisLockWaiters waiters = handingLock.client().waitersIfPresent(handingLock.key());
                return waiters != null && waiters.wakeups() > 0;
            });
            Permit polled = pollingLock.acquire().join();
            assertThat(polled.fencingToken()).isPositive();
        }
        finally {
            running.set(false);
            chainEnded.get(10, TimeUnit.SECONDS);
            handing.destroy();
            polling.destroy();
        }
    }

    /**
     * Holds the lock for a moment, queues the next acquisition of this process and only then lets go, so that every
     * release has a waiter of the same process to hand over to.
     */
    private static void holdAndHandOver(RedisLock lock, Permit permit, AtomicBoolean running,
            CompletableFuture<Void> ended) {
        if (!running.get()) {
            permit.close();
            ended.complete(null);
            return;
        }
        CompletableFuture<Permit> next = lock.acquire();
        CompletableFuture.runAsync(permit::close, CompletableFuture.delayedExecutor(5, TimeUnit.MILLISECONDS));
        next.whenComplete((granted, failure) -> {
            if (failure != null) {
                ended.complete(null);
            }
            else {
                holdAndHandOver(lock, granted, running, ended);
            }
        });
    }

    private static LettuceConnectionFactory pollerFactory(RedisServerProcess server) {
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration("127.0.0.1", server.port());
        configuration.setUsername("poller");
        configuration.setPassword("poller-pass");
        LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(5)).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }
}
