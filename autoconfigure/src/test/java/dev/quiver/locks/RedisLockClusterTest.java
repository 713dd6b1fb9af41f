package dev.quiver.locks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.quiver.testsupport.RedisClusterProcesses;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import dev.quiver.testsupport.Pause;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisLock} on a 3-master Redis Cluster, where release notifications travel by sharded pub/sub.
 */
@RedisTest
class RedisLockClusterTest {

    @Test
    void lockWorksUnchangedOnAClusterForLocksInEveryShard(RedisServers servers) {
        RedisClusterProcesses cluster = servers.cluster(3);
        LettuceConnectionFactory holderFactory = cluster.newConnectionFactory();
        LettuceConnectionFactory waiterFactory = cluster.newConnectionFactory();
        try {
            StringRedisTemplate raw = new StringRedisTemplate(holderFactory);
            List<String> names = oneNamePerShard();
            for (String name : names) {
                String key = "quiver:lock:" + name;
                RedisLock holder = RedisLock.builder(holderFactory, name).timeout(Duration.ofSeconds(5)).build();
                // a sleep this long leaves the sharded release notification as the only early wake-up
                RedisLock waiter = RedisLock.builder(waiterFactory, name)
                    .sleep(Duration.ofSeconds(5))
                    .timeout(Duration.ofSeconds(10))
                    .build();

                Permit held = holder.acquire().join();
                assertThat(holder.extend(Duration.ofSeconds(5)).join()).isTrue();
                assertThat(raw.getExpire(key, TimeUnit.MILLISECONDS)).isGreaterThan(8000L);
                assertThat(waiter.tryAcquire()).isFalse();

                CompletableFuture<Permit> waiting = waiter.acquire();
                Pause.millis(300);
                assertThat(waiting).isNotDone();
                long released = System.nanoTime();
                held.close();
                Permit taken = waiting.orTimeout(5, TimeUnit.SECONDS).join();
                assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(2));
                assertThat(holder.isLocked()).isTrue();
                assertThat(waiter.isOwned()).isTrue();

                raw.opsForValue().set(key, "someone-else");
                assertThatThrownBy(taken::close).isInstanceOf(LockNotOwnedException.class);
                assertThat(raw.opsForValue().get(key)).isEqualTo("someone-else");
                raw.delete(key);
            }
        }
        finally {
            holderFactory.destroy();
            waiterFactory.destroy();
        }
    }

    /**
     * With {@code releaseAtOnce}, the release goes out right after the slot moved, while the waiters may still be
     * subscribing again: the new subscription's confirmation must then stand for the notification they missed.
     */
    @ParameterizedTest(name = "release at once: {0}")
    @ValueSource(booleans = { false, true })
    void aWaiterFollowsItsLockKeyToTheNodeItsSlotMovesTo(boolean releaseAtOnce, RedisServers servers) {
        RedisClusterProcesses cluster = servers.cluster(3);
        LettuceConnectionFactory holderFactory = cluster.newConnectionFactory();
        LettuceConnectionFactory waiterFactory = cluster.newConnectionFactory();
        try {
            String key = "quiver:lock:resharded";
            RedisLock holder = RedisLock.builder(holderFactory, "resharded").timeout(Duration.ofSeconds(30)).build();
            // a sleep this long leaves the sharded release notification as the only early wake-up
            RedisLock waiter = RedisLock.builder(waiterFactory, "resharded")
                .sleep(Duration.ofSeconds(10))
                .timeout(Duration.ofSeconds(30))
                .blockingTimeout(Duration.ofSeconds(30))
                .build();
            Permit held = holder.acquire().join();
            CompletableFuture<Permit> waiting = waiter.acquire();
            RedisServerProcess source = cluster.owner(key);
            await().atMost(Duration.ofSeconds(5)).until(() -> shardSubscribers(source, key) == 1);

            RedisServerProcess target = cluster.nodes().stream().filter((node) -> node != source).findFirst().get();
            cluster.migrateSlot(key, target);
            assertThat(cluster.owner(key)).isSameAs(target);
            if (!releaseAtOnce) {
                assertThat(shardSubscribers(source, key)).isZero();
                // the server dropped the subscription with the slot: the waiters must notice and subscribe where
                // it went
                await().atMost(Duration.ofSeconds(5)).until(() -> shardSubscribers(target, key) == 1);
            }

            long released = System.nanoTime();
            held.close();
            Permit taken = waiting.orTimeout(20, TimeUnit.SECONDS).join();
            // woken by the notification, well before the 10 s poll (wide: a loaded machine is slow, not wrong)
            assertThat(Duration.ofNanos(System.nanoTime() - released)).isLessThan(Duration.ofSeconds(5));
            assertThat(waiter.isOwned()).isTrue();
            taken.close();
            assertThat(holder.isLocked()).isFalse();
        }
        finally {
            holderFactory.destroy();
            waiterFactory.destroy();
        }
    }

    private static long shardSubscribers(RedisServerProcess node, String channel) {
        return Long.parseLong(node.array("PUBSUB", "SHARDNUMSUB", channel).get(1));
    }

    @Test
    void acquirersOnSeveralFactoriesExcludeEachOtherOnACluster(RedisServers servers) {
        RedisClusterProcesses cluster = servers.cluster(3);
        List<LettuceConnectionFactory> factories = List.of(cluster.newConnectionFactory(),
                cluster.newConnectionFactory());
        try {
            StringRedisTemplate raw = new StringRedisTemplate(factories.get(0));
            raw.opsForValue().set("counter", "0");
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger maxInside = new AtomicInteger();
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                RedisLock lock = RedisLock.builder(factories.get(i % 2), "counter")
                    .blockingTimeout(Duration.ofSeconds(20))
                    .build();
                runs.add(increment(lock, 25, raw, inside, maxInside));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
            assertThat(raw.opsForValue().get("counter")).isEqualTo("200");
            assertThat(maxInside).hasValue(1);
        }
        finally {
            factories.forEach(LettuceConnectionFactory::destroy);
        }
    }

    private static CompletableFuture<Void> increment(RedisLock lock, int times, StringRedisTemplate raw,
            AtomicInteger inside, AtomicInteger maxInside) {
        if (times == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return lock.withLock(() -> CompletableFuture.runAsync(() -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            long value = Long.parseLong(raw.opsForValue().get("counter"));
            raw.opsForValue().set("counter", String.valueOf(value + 1));
            inside.decrementAndGet();
        })).thenCompose((ignored) -> increment(lock, times - 1, raw, inside, maxInside));
    }

    /** Lock names whose keys hash into each third of the slots, which redis-cli gives to a master each. */
    private static List<String> oneNamePerShard() {
        List<String> names = new ArrayList<>();
        Set<Integer> shards = new HashSet<>();
        for (char c = 'a'; shards.size() < 3; c++) {
            String name = "job-" + c;
            if (shards.add(SlotHash.getSlot("quiver:lock:" + name) * 3 / SlotHash.SLOT_COUNT)) {
                names.add(name);
            }
        }
        return names;
    }
}
