package dev.quiver.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.quiver.locks.Permit;
import dev.quiver.locks.SealLock;
import dev.quiver.objects.ArrowCache;
import dev.quiver.testsupport.RedisCommandStats;
import dev.quiver.testsupport.RedisTest;
import dev.quiver.testsupport.SharedRedis;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app over HTTP against a real Redis: every endpoint, what each primitive saves or prevents, and the
 * meters at the actuator. The app lives across the tests (Redis is emptied before each), so each test uses players
 * of its own and compares counts before and after. Score locks wait up to 30 s here rather than the app's 3 s: twenty
 * updates of one player take their turns one after another, which on a machine busy with other builds took longer
 * than 3 s in all, and these tests are about lost updates, not about the wait.
 */
@RedisTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "quiver.redis-locks.blocking-timeout=30s")
class SampleApplicationTests {

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> SharedRedis.endpoint().url());
    }

    @LocalServerPort
    private int port;

    @Autowired
    private StatsProvider statsProvider;

    @Autowired
    private IndexRebuilder indexRebuilder;

    @Autowired
    @Qualifier("index-rebuild")
    private SealLock indexLock;

    @Autowired
    private PlayerController playerController;

    @Autowired
    @Qualifier("matches")
    private ArrowCache<String, List<Match>> matchesCache;

    @Autowired
    private RedisConnectionFactory connectionFactory;

    private SampleHttp http;

    @BeforeEach
    void http() {
        this.http = new SampleHttp(this.port);
    }

    @Test
    void theSecondReadOfAProfileComesFromTheCacheWithoutCallingUpstream() {
        int before = upstreamCalls();
        JsonNode first = this.http.get("/players/ann").ok().json();
        assertThat(first.get("id").asString()).isEqualTo("ann");
        assertThat(first.get("name").asString()).isEqualTo("Ann");
        assertThat(upstreamCalls()).isEqualTo(before + 1);

        JsonNode second = this.http.get("/players/ann").ok().json();

        assertThat(second).isEqualTo(first);
        assertThat(upstreamCalls()).isEqualTo(before + 1);
        assertThat(this.statsProvider.calls()).isEqualTo(before + 1);
    }

    @Test
    void concurrentFirstReadsOfAProfileShareOneUpstreamCall() {
        int before = upstreamCalls();
        List<CompletableFuture<SampleHttp.Response>> reads = IntStream.range(0, 8)
            .mapToObj((i) -> CompletableFuture.supplyAsync(() -> this.http.get("/players/crowd")))
            .toList();
        reads.forEach((read) -> assertThat(read.join().ok().json().get("id").asString()).isEqualTo("crowd"));
        assertThat(upstreamCalls()).isEqualTo(before + 1);
    }

    @Test
    void matchesAreLoadedAsynchronouslyOnceAndThenServedFromTheCache() {
        int before = upstreamCalls();
        JsonNode first = this.http.get("/players/bea/matches").ok().json();
        assertThat(first).hasSize(3);
        assertThat(first.get(0).get("id").asString()).isEqualTo("bea-m1");
        assertThat(first.get(0).has("opponent")).isTrue();
        assertThat(first.get(0).has("summary")).isFalse();

        assertThat(this.http.get("/players/bea/matches").ok().json()).isEqualTo(first);
        assertThat(upstreamCalls()).isEqualTo(before + 1);
    }

    @Test
    void theHistoryWritesItsSummariesOnCopiesSoTheCachedMatchesStayAsTheyWere() {
        JsonNode history = this.http.get("/players/cid/history").ok().json();
        assertThat(history).hasSize(3);
        for (JsonNode match : history) {
            assertThat(match.get("summary").asString())
                .matches("(won|lost) against " + match.get("opponent").asString() + ", \\d+/\\d+");
        }

        JsonNode matches = this.http.get("/players/cid/matches").ok().json();
        assertThat(matches).hasSize(3);
        matches.forEach((match) -> assertThat(match.has("summary")).isFalse());
    }

    @Test
    void mutatingAMatchOfTheHistoryDoesNotChangeTheCache() {
        List<Match> copies = this.playerController.history("dan").join();
        for (Match copy : copies) {
            copy.setOpponent("cheater");
            copy.setKills(999);
        }

        List<Match> cached = this.matchesCache.get("dan");
        assertThat(cached).hasSize(3);
        for (int i = 0; i < cached.size(); i++) {
            assertThat(cached.get(i)).isNotSameAs(copies.get(i));
            assertThat(cached.get(i).getId()).isEqualTo(copies.get(i).getId());
            assertThat(cached.get(i).getOpponent()).isNotEqualTo("cheater");
            assertThat(cached.get(i).getKills()).isLessThan(999);
            assertThat(cached.get(i).getSummary()).isNull();
        }
        assertThat(this.http.get("/players/dan/matches").ok().body()).doesNotContain("cheater");
    }

    @Test
    void twentyConcurrentScoreUpdatesOfOnePlayerAddUpExactly() {
        double acquiredBefore = this.http.measurement(
                "quiver.lock.wait?tag=lock:redisLocks&tag=kind:redis&tag=outcome:acquired", "COUNT");
        List<CompletableFuture<SampleHttp.Response>> posts = IntStream.rangeClosed(1, 20)
            .mapToObj((delta) -> this.http.postAsync("/players/eve/score?delta=" + delta))
            .toList();

        List<Long> scoresSeen = new ArrayList<>();
        for (CompletableFuture<SampleHttp.Response> post : posts) {
            JsonNode answer = post.join().ok().json();
            assertThat(answer.get("player").asString()).isEqualTo("eve");
            scoresSeen.add(answer.get("score").asLong());
        }

        // 1 + 2 + ... + 20: no update was lost, and each one saw the sum of those before it
        assertThat(scoresSeen).doesNotHaveDuplicates().contains(210L);
        JsonNode leaderboard = this.http.get("/leaderboard?ids=eve").ok().json();
        assertThat(leaderboard.get(0).get("score").asLong()).isEqualTo(210);
        assertThat(this.http.measurement("quiver.lock.wait?tag=lock:redisLocks&tag=kind:redis&tag=outcome:acquired",
                "COUNT")).isEqualTo(acquiredBefore + 20);
    }

    @Test
    void theLeaderboardRanksPlayersWithOneMget() {
        this.http.post("/players/fay/score?delta=7").ok();
        this.http.post("/players/gus/score?delta=12").ok();
        this.http.post("/players/hal/score?delta=7").ok();

        RedisCommandStats before = RedisCommandStats.read(this.connectionFactory);
        JsonNode leaderboard = this.http.get("/leaderboard?ids=hal,fay,gus,ivy").ok().json();
        long mgets = RedisCommandStats.read(this.connectionFactory).since(before, "mget");

        assertThat(mgets).isEqualTo(1);
        assertThat(leaderboard).hasSize(4);
        assertThat(leaderboard.toString()).isEqualTo("[{\"rank\":1,\"player\":\"gus\",\"score\":12},"
                + "{\"rank\":2,\"player\":\"fay\",\"score\":7},{\"rank\":3,\"player\":\"hal\",\"score\":7},"
                + "{\"rank\":4,\"player\":\"ivy\",\"score\":0}]");
    }

    @Test
    void concurrentIndexRebuildsQueueInsteadOfOverlapping() {
        // the test holds the lock until all three requests have queued, so that each must wait for those ahead of
        // it however far apart in time a busy machine delivers them
        Permit held = this.indexLock.acquire().join();
        List<CompletableFuture<SampleHttp.Response>> rebuilds = IntStream.range(0, 3)
            .mapToObj((i) -> this.http.postAsync("/index/rebuild"))
            .toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> this.indexLock.queueLength() == 3);
        held.close();

        List<Long> waits = new ArrayList<>();
        List<Long> numbers = new ArrayList<>();
        for (CompletableFuture<SampleHttp.Response> rebuild : rebuilds) {
            JsonNode answer = rebuild.join().ok().json();
            waits.add(answer.get("waitedMs").asLong());
            numbers.add(answer.get("rebuild").asLong());
            assertThat(answer.get("tookMs").asLong()).isGreaterThanOrEqualTo(300);
        }

        assertThat(numbers).doesNotHaveDuplicates();
        assertThat(this.indexRebuilder.mostAtOnce()).isEqualTo(1);
        // each rebuild takes 300 ms: the second in line waited for one, the third for two
        List<Long> sorted = waits.stream().sorted().toList();
        assertThat(sorted.get(1)).isGreaterThanOrEqualTo(300);
        assertThat(sorted.get(2)).isGreaterThanOrEqualTo(600);
    }

    @Test
    void theMetersOfEveryPrimitiveShowAtTheActuator() {
        double hitsBefore = this.http.measurement("cache.gets?tag=cache:profiles&tag=result:hit", "COUNT");
        double missesBefore = this.http.measurement("cache.gets?tag=cache:profiles&tag=result:miss", "COUNT");
        double sealBefore = this.http.measurement(
                "quiver.lock.wait?tag=lock:index-rebuild&tag=kind:seal&tag=outcome:acquired", "COUNT");
        double defaultsBefore = this.http.measurement("quiver.dict.gets?tag=dict:scores&tag=result:default", "COUNT");
        double dictHitsBefore = this.http.measurement("quiver.dict.gets?tag=dict:scores&tag=result:hit", "COUNT");
        double setsBefore = this.http.measurement("quiver.dict.sets?tag=dict:scores", "COUNT");
        double scoreLocksBefore = this.http.measurement(
                "quiver.lock.wait?tag=lock:redisLocks&tag=kind:redis&tag=outcome:acquired", "COUNT");
        double scoreHoldsBefore = this.http.measurement("quiver.lock.held?tag=lock:redisLocks&tag=kind:redis",
                "COUNT");

        this.http.get("/players/max").ok();
        this.http.get("/players/max").ok();
        this.http.get("/players/max").ok();
        this.http.post("/index/rebuild").ok();
        this.http.post("/players/max/score?delta=4").ok();
        this.http.post("/players/max/score?delta=4").ok();

        assertThat(this.http.measurement("cache.gets?tag=cache:profiles&tag=result:hit", "COUNT"))
            .isEqualTo(hitsBefore + 2);
        assertThat(this.http.measurement("cache.gets?tag=cache:profiles&tag=result:miss", "COUNT"))
            .isEqualTo(missesBefore + 1);
        assertThat(this.http.measurement("quiver.lock.wait?tag=lock:index-rebuild&tag=kind:seal&tag=outcome:acquired",
                "COUNT")).isEqualTo(sealBefore + 1);
        // every player's lock comes from the redisLocks factory, and shares its meters
        assertThat(this.http.measurement("quiver.lock.wait?tag=lock:redisLocks&tag=kind:redis&tag=outcome:acquired",
                "COUNT")).isEqualTo(scoreLocksBefore + 2);
        assertThat(this.http.measurement("quiver.lock.held?tag=lock:redisLocks&tag=kind:redis", "COUNT"))
            .isEqualTo(scoreHoldsBefore + 2);
        assertThat(this.http.get("/actuator/metrics/quiver.lock.held").ok().body()).doesNotContain("score:max");
        assertThat(this.http.measurement("quiver.dict.gets?tag=dict:scores&tag=result:default", "COUNT"))
            .isEqualTo(defaultsBefore + 1);
        assertThat(this.http.measurement("quiver.dict.gets?tag=dict:scores&tag=result:hit", "COUNT"))
            .isEqualTo(dictHitsBefore + 1);
        assertThat(this.http.measurement("quiver.dict.sets?tag=dict:scores", "COUNT")).isEqualTo(setsBefore + 2);

        String prometheus = this.http.get("/actuator/prometheus").ok().body();
        assertThat(prometheus).contains("cache_gets_total{cache=\"profiles\",result=\"hit\"}",
                "quiver_lock_wait_seconds_count{kind=\"redis\",lock=\"redisLocks\",outcome=\"acquired\"}",
                "quiver_dict_gets_total{dict=\"scores\",result=\"default\"}");
    }

    @Test
    void theQuiverEndpointShowsEveryBeanAndItsState() {
        this.http.get("/players/dee").ok();
        this.http.get("/players/dee").ok();

        JsonNode quiver = this.http.get("/actuator/quiver").ok().json();

        assertThat(quiver.at("/caches/profiles/maxEntries").asInt()).isEqualTo(10000);
        assertThat(quiver.at("/caches/profiles/size").asInt()).isPositive();
        assertThat(quiver.at("/caches/profiles/hits").asLong()).isPositive();
        assertThat(quiver.at("/caches/profiles/misses").asLong()).isPositive();
        assertThat(quiver.at("/caches/matches/maxEntries").asInt()).isEqualTo(10000);
        assertThat(quiver.at("/locks/index-rebuild/kind").asString()).isEqualTo("seal");
        assertThat(quiver.at("/locks/index-rebuild/locked").asBoolean()).isFalse();
        assertThat(quiver.at("/lockFactories/redisLocks/kind").asString()).isEqualTo("redis");
        assertThat(quiver.at("/lockFactories/redisLocks/held").asLong()).isZero();
        assertThat(quiver.at("/lockFactories/redisLocks/waiting").asLong()).isZero();
        assertThat(quiver.at("/lockFactories/sealLocks/kind").asString()).isEqualTo("seal");
        assertThat(quiver.at("/locks").has("score:max")).isFalse();
        assertThat(quiver.at("/dicts/scores/store").asString()).isEqualTo("redis");
        assertThat(quiver.at("/dicts/scores/prefix").asString()).isEqualTo("sample:scores:");
    }

    @Test
    void oneQuiverBeanIsShownByItsNameAndAnUnknownNameIsNotFound() {
        this.http.get("/players/gus").ok();

        JsonNode profiles = this.http.get("/actuator/quiver/profiles").ok().json();
        assertThat(profiles.get("maxEntries").asInt()).isEqualTo(10000);
        assertThat(profiles.get("size").asInt()).isPositive();
        assertThat(this.http.get("/actuator/quiver/index-rebuild").ok().json().get("kind").asString())
            .isEqualTo("seal");
        JsonNode scores = this.http.get("/actuator/quiver/scores").ok().json();
        assertThat(scores.get("store").asString()).isEqualTo("redis");
        assertThat(scores.get("prefix").asString()).isEqualTo("sample:scores:");

        SampleHttp.Response unknown = this.http.get("/actuator/quiver/no-such-bean");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("message").asString()).contains("no-such-bean");
    }

    @Test
    void aDeleteClearsACacheSoTheNextReadGoesUpstreamAgain() {
        this.http.get("/players/hal").ok();
        this.http.get("/players/hal").ok();
        int callsBefore = upstreamCalls();

        SampleHttp.Response cleared = this.http.delete("/actuator/quiver/profiles");

        assertThat(cleared.status()).isEqualTo(200);
        assertThat(cleared.json().get("result").asString()).isEqualTo("CLEARED");
        assertThat(cleared.json().at("/cache/size").asInt()).isZero();
        assertThat(this.http.get("/actuator/quiver/profiles").ok().json().get("size").asInt()).isZero();
        this.http.get("/players/hal").ok();
        assertThat(upstreamCalls()).isEqualTo(callsBefore + 1);
    }

    @Test
    void aDeleteOfALockOrADictIsRefusedAndOfAnUnknownNameIsNotFound() {
        SampleHttp.Response lock = this.http.delete("/actuator/quiver/index-rebuild");
        assertThat(lock.status()).isEqualTo(400);
        assertThat(lock.json().get("result").asString()).isEqualTo("NOT_A_CACHE");
        assertThat(lock.json().get("message").asString()).contains("'index-rebuild' is a lock");
        SampleHttp.Response dict = this.http.delete("/actuator/quiver/scores");
        assertThat(dict.status()).isEqualTo(400);
        assertThat(dict.json().get("message").asString()).contains("'scores' is a dict");
        SampleHttp.Response unknown = this.http.delete("/actuator/quiver/no-such-bean");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("result").asString()).isEqualTo("NOT_FOUND");
    }

    @Test
    void healthShowsRedisUp() {
        JsonNode health = this.http.get("/actuator/health").ok().json();
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/redis/status").asString()).isEqualTo("UP");
    }

    private int upstreamCalls() {
        return this.http.get("/upstream").ok().json().get("calls").asInt();
    }
}
