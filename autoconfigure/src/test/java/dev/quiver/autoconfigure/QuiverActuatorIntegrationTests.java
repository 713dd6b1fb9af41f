package dev.quiver.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.LockTimeoutException;
import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.locks.SealLocks;
import dev.quiver.objects.ArrowCache;
import dev.quiver.testsupport.RedisTest;
import dev.quiver.testsupport.SharedRedis;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Quiver in a whole application: every kind of bean injected by qualifier and used against a real Redis, then the
 * meters read over HTTP from the actuator, and {@code @Cacheable} served by an ArrowCache.
 */
@RedisTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,metrics,quiver",
                "quiver.caches.instances.quotes.max-entries=100", "quiver.seal-locks.names=index-rebuild",
                "quiver.redis-locks.names=report",
                "quiver.dicts.instances.scores.value-type=java.lang.Long",
                "quiver.dicts.instances.greetings.store=local",
                "quiver.dicts.instances.greetings.value-type=java.lang.String" })
class QuiverActuatorIntegrationTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", () -> SharedRedis.endpoint().url());
    }

    @LocalServerPort
    private int port;

    @Autowired
    @Qualifier("quotes")
    private ArrowCache<String, String> quotes;

    @Autowired
    @Qualifier("index-rebuild")
    private SealLock indexRebuild;

    @Autowired
    @Qualifier("report")
    private RedisLock report;

    @Autowired
    private RedisLocks redisLocks;

    @Autowired
    private SealLocks sealLocks;

    @Autowired
    @Qualifier("scores")
    private RedisDefaultDict<Long> scores;

    @Autowired
    @Qualifier("greetings")
    private MultiDefaultDict<String, String> greetings;

    @Autowired
    private QuoteService quoteService;

    @Test
    void everyBeanWorksAndItsMetersShowAtTheActuator() throws Exception {
        // the other tests share this context and its meters: count what this test adds
        List<String> counted = List.of("cache.gets?tag=cache:quotes&tag=result:hit",
                "cache.gets?tag=cache:quotes&tag=result:miss",
                "quiver.lock.wait?tag=lock:index-rebuild&tag=kind:seal&tag=outcome:acquired",
                "quiver.lock.wait?tag=lock:report&tag=kind:redis&tag=outcome:acquired",
                "quiver.lock.wait?tag=lock:report&tag=kind:redis&tag=outcome:timeout",
                "quiver.lock.held?tag=lock:redisLocks&tag=kind:redis",
                "quiver.lock.held?tag=lock:sealLocks&tag=kind:seal",
                "quiver.dict.gets?tag=dict:scores&tag=result:default",
                "quiver.dict.gets?tag=dict:scores&tag=result:hit", "quiver.dict.sets?tag=dict:scores");
        Map<String, Double> before = new HashMap<>();
        for (String metric : counted) {
            before.put(metric, countSoFar(metric));
        }
        this.quotes.set("ACME", "42");
        for (int i = 0; i < 3; i++) {
            assertThat(this.quotes.get("ACME")).isEqualTo("42");
        }
        assertThat(this.quotes.get("NONE")).isNull();

        this.indexRebuild.withLock(() -> CompletableFuture.completedFuture("rebuilt")).join();
        try (Permit permit = this.report.acquire().join()) {
            assertThatExceptionOfType(CompletionException.class)
                .isThrownBy(() -> this.report.acquire(Duration.ofMillis(200)).join())
                .withCauseInstanceOf(LockTimeoutException.class);
        }
        this.redisLocks.get("invoice-7").withLock(() -> CompletableFuture.completedFuture(null)).join();
        this.redisLocks.get("invoice-8").withLock(() -> CompletableFuture.completedFuture(null)).join();
        this.sealLocks.get("player-1").withLock(() -> CompletableFuture.completedFuture(null)).join();

        assertThat(this.scores.mget(List.of("ann", "bob"))).containsExactly(0L, 0L);
        this.scores.set("ann", 5L);
        assertThat(this.scores.get("ann")).isEqualTo(5L);
        assertThat(this.greetings.get("ann")).isEqualTo("hi ann");

        Map<String, Double> added = new HashMap<>();
        for (String metric : counted) {
            added.put(metric, measurement(metric, "COUNT") - before.get(metric));
        }
        assertThat(added).containsExactlyInAnyOrderEntriesOf(Map.of(
                "cache.gets?tag=cache:quotes&tag=result:hit", 3.0,
                "cache.gets?tag=cache:quotes&tag=result:miss", 1.0,
                "quiver.lock.wait?tag=lock:index-rebuild&tag=kind:seal&tag=outcome:acquired", 1.0,
                "quiver.lock.wait?tag=lock:report&tag=kind:redis&tag=outcome:acquired", 1.0,
                "quiver.lock.wait?tag=lock:report&tag=kind:redis&tag=outcome:timeout", 1.0,
                "quiver.lock.held?tag=lock:redisLocks&tag=kind:redis", 2.0,
                "quiver.lock.held?tag=lock:sealLocks&tag=kind:seal", 1.0,
                "quiver.dict.gets?tag=dict:scores&tag=result:default", 2.0,
                "quiver.dict.gets?tag=dict:scores&tag=result:hit", 1.0,
                "quiver.dict.sets?tag=dict:scores", 1.0));
        assertThat(get("/actuator/metrics/quiver.lock.held").get("availableTags").toString())
            .doesNotContain("invoice-7", "invoice-8", "player-1");
        assertThat(get("/actuator/health").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void theQuiverEndpointListsEveryBeanWithItsState() throws Exception {
        this.quotes.set("ACME", "42");
        this.quotes.get("ACME");
        Permit order = this.sealLocks.get("order:1").acquire().join();
        CompletableFuture<Permit> orderWaiter = this.sealLocks.get("order:1").acquire();
        Permit invoice = this.redisLocks.get("invoice:1").acquire().join();
        try (Permit permit = this.indexRebuild.acquire().join()) {
            JsonNode quiver = get("/actuator/quiver");
            assertThat(quiver.at("/lockFactories/sealLocks/kind").asText()).isEqualTo("seal");
            assertThat(quiver.at("/lockFactories/sealLocks/held").asLong()).isEqualTo(1);
            assertThat(quiver.at("/lockFactories/sealLocks/waiting").asLong()).isEqualTo(1);
            assertThat(quiver.at("/lockFactories/redisLocks/kind").asText()).isEqualTo("redis");
            assertThat(quiver.at("/lockFactories/redisLocks/held").asLong()).isEqualTo(1);
            assertThat(quiver.at("/lockFactories/redisLocks/waiting").asLong()).isZero();
            assertThat(quiver.at("/locks").has("order:1")).isFalse();
            assertThat(quiver.at("/caches/quotes/maxEntries").asInt()).isEqualTo(100);
            assertThat(quiver.at("/caches/quotes/size").asInt()).isPositive();
            assertThat(quiver.at("/locks/index-rebuild/kind").asText()).isEqualTo("seal");
            assertThat(quiver.at("/locks/index-rebuild/locked").asBoolean()).isTrue();
            assertThat(quiver.at("/locks/report/kind").asText()).isEqualTo("redis");
            assertThat(quiver.at("/locks/report/locked").asBoolean()).isFalse();
            assertThat(quiver.at("/dicts/scores/prefix").asText()).isEqualTo("scores:");
            assertThat(quiver.at("/dicts/greetings/store").asText()).isEqualTo("local");
        }
        finally {
            order.close();
            orderWaiter.join().close();
            invoice.close();
        }
    }

    @Test
    void cacheableMethodsAreServedByTheConfiguredArrowCache() {
        int before = this.quoteService.calls();
        assertThat(this.quoteService.price("ZETA")).isEqualTo("price of ZETA");
        assertThat(this.quoteService.price("ZETA")).isEqualTo("price of ZETA");
        assertThat(this.quoteService.calls() - before).isEqualTo(1);
        assertThat(this.quotes.get("ZETA")).isEqualTo("price of ZETA");
    }

    private double measurement(String metric, String statistic) throws IOException, InterruptedException {
        for (JsonNode measurement : get("/actuator/metrics/" + metric).get("measurements")) {
            if (measurement.get("statistic").asText().equals(statistic)) {
                return measurement.get("value").asDouble();
            }
        }
        throw new AssertionError("No " + statistic + " in " + metric);
    }

    /** The COUNT of a meter so far, zero while it does not exist yet. */
    private double countSoFar(String metric) throws IOException, InterruptedException {
        HttpResponse<String> response = send("/actuator/metrics/" + metric);
        return (response.statusCode() == 404) ? 0 : measurement(metric, "COUNT");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private HttpResponse<String> send(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
            .send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
                .timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A service whose prices are cached in the {@code quotes} ArrowCache.
     */
    static class QuoteService {

        private final AtomicInteger calls = new AtomicInteger();

        @Cacheable("quotes")
        public String price(String symbol) {
            this.calls.incrementAndGet();
            return "price of " + symbol;
        }

        public int calls() {
            return this.calls.get();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableCaching
    static class QuiverTestApplication {

        @Bean
        QuoteService quoteService() {
            return new QuoteService();
        }

        @Bean
        DictDefault<Long> scoresDefault() {
            return DictDefault.of("scores", (key) -> 0L);
        }

        @Bean
        DictDefault<String> greetingsDefault() {
            return DictDefault.of("greetings", (key) -> "hi " + key);
        }
    }
}
