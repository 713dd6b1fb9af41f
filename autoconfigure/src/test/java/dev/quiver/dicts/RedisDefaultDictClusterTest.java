package dev.quiver.dicts;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.data.redis.connection.ClusterSlotHashUtil;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import dev.quiver.testsupport.RedisClusterProcesses;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link RedisDefaultDict} on a 3-master Redis Cluster, where keys of different slots cannot share a
 * command. One cluster serves the whole class; each test uses its own prefix.
 */
@RedisTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisDefaultDictClusterTest {

    private final RedisServers servers;

    private RedisClusterProcesses cluster;

    private LettuceConnectionFactory factory;

    private StringRedisTemplate redis;

    RedisDefaultDictClusterTest(RedisServers servers) {
        this.servers = servers;
    }

    @BeforeAll
    void startCluster() {
        this.cluster = this.servers.cluster(3);
        this.factory = this.cluster.newConnectionFactory();
        this.redis = new StringRedisTemplate(this.factory);
    }

    @AfterAll
    void stopCluster() {
        this.factory.destroy();
    }

    @Test
    void mgetAndMsetWorkOverKeysInDifferentSlots() {
        RedisDefaultDict<Long> scores = RedisDefaultDict.builder(this.factory, Long.class)
            .prefix("plain:")
            .defaults((key) -> -1L)
            .build();
        Map<String, Long> values = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            keys.add("k" + i);
            if (i % 2 == 0) {
                values.put("k" + i, (long) i);
            }
        }
        assertThat(keys.stream().map((key) -> ClusterSlotHashUtil.calculateSlot("plain:" + key)).distinct().count())
            .isGreaterThan(100);

        scores.mset(values);
        List<Long> read = scores.mget(keys);

        for (int i = 0; i < 200; i++) {
            assertThat(read.get(i)).isEqualTo((i % 2 == 0) ? i : -1L);
        }
        assertThat(this.redis.opsForValue().get("plain:k1")).as("the default is stored").isEqualTo("-1");
        assertThat(scores.size()).isEqualTo(200);
        for (RedisServerProcess node : this.cluster.nodes()) {
            assertThat(node.command("DBSIZE")).as("every master holds some keys").isNotEqualTo(":0");
        }
    }

    @Test
    void msetAndDefaultsWithATimeToLiveWorkOverKeysInDifferentSlots() {
        RedisDefaultDict<Long> scores = RedisDefaultDict.builder(this.factory, Long.class)
            .prefix("ttl:")
            .ttl(Duration.ofSeconds(30))
            .defaults((key) -> 0L)
            .build();
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) {
            values.put("set-" + i, (long) i);
        }

        scores.mset(values);
        List<Long> read = scores.mget(List.of("set-1", "default-1", "default-2", "set-2", "default-3"));

        assertThat(read).containsExactly(1L, 0L, 0L, 2L, 0L);
        for (String key : List.of("set-1", "set-49", "default-1", "default-3")) {
            assertThat(this.redis.getExpire("ttl:" + key, TimeUnit.MILLISECONDS)).as(key)
                .isPositive()
                .isLessThanOrEqualTo(30_000);
        }
    }

    @Test
    void singleKeyCallsAndExecuteWorkOnACluster() {
        RedisDefaultDict<String> names = RedisDefaultDict.builder(this.factory, String.class)
            .prefix("single:")
            .defaults((key) -> "default-" + key)
            .build();

        names.set("a", "alpha");
        names.aset("b", "beta").join();

        assertThat(names.get("a")).isEqualTo("alpha");
        assertThat(names.aget("c").join()).isEqualTo("default-c");
        assertThat(names.get("d")).isEqualTo("default-d");
        assertThat(names.execute(List.of(names.fset("e", "echo"), names.fget("a"), names.fget("b"),
                names.fget("f"), names.fget("e"))))
            .containsExactly(true, "alpha", "beta", "default-f", "echo");
        assertThat(names.remove("a")).isTrue();
    }

}
