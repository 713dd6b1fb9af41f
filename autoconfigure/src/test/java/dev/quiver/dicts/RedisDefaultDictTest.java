package dev.quiver.dicts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import tools.jackson.databind.json.JsonMapper;

import dev.quiver.testsupport.RedisCommandStats;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

/**
 * Tests of {@link RedisDefaultDict} against a real Redis.
 */
@RedisTest
class RedisDefaultDictTest {

    private LettuceConnectionFactory factory;

    private StringRedisTemplate redis;

    @BeforeEach
    void connect(LettuceConnectionFactory factory) {
        this.factory = factory;
        this.redis = new StringRedisTemplate(factory);
    }

    @Test
    void missingKeyIsFilledWithTheDefaultWhichIsStoredAsJson() {
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> (long) key.length()).build();

        assertThat(scores.get("alice")).isEqualTo(5L);
        assertThat(this.redis.opsForValue().get("scores:alice")).isEqualTo("5");
        scores.set("alice", 42L);
        assertThat(scores.get("alice")).isEqualTo(42L);
        assertThat(this.redis.opsForValue().get("scores:alice")).isEqualTo("42");
    }

    @Test
    void recordValuesRoundTripAsJsonObjects() {
        RedisDefaultDict<Quote> quotes = RedisDefaultDict.builder(this.factory, Quote.class)
            .prefix("quotes:")
            .defaults((symbol) -> new Quote(symbol, 0.0, List.of()))
            .build();

        quotes.set("ACME", new Quote("ACME", 12.5, List.of("nyse", "tech")));

        assertThat(quotes.get("ACME")).isEqualTo(new Quote("ACME", 12.5, List.of("nyse", "tech")));
        assertThat(this.redis.opsForValue().get("quotes:ACME"))
            .isEqualTo("{\"symbol\":\"ACME\",\"price\":12.5,\"tags\":[\"nyse\",\"tech\"]}");
        assertThat(quotes.get("NEW")).isEqualTo(new Quote("NEW", 0.0, List.of()));
    }

    @Test
    void customSerializerReplacesJson() {
        RedisDefaultDict<String> names = RedisDefaultDict.builder(this.factory, String.class)
            .prefix("names:")
            .serializer(RedisSerializer.string())
            .build();

        names.set("a", "plain text");

        assertThat(this.redis.opsForValue().get("names:a")).isEqualTo("plain text");
        assertThat(names.get("a")).isEqualTo("plain text");
    }

    @Test
    void mgetSendsOneMgetAndOneWriteForAThousandKeysHalfMissing() {
        AtomicInteger defaultCalls = new AtomicInteger();
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> {
            defaultCalls.incrementAndGet();
            return -1L;
        }).build();
        List<String> keys = new ArrayList<>();
        Map<String, Long> present = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            keys.add("k" + i);
            if (i % 2 == 0) {
                present.put("k" + i, (long) i);
            }
        }
        scores.mset(present);
        scores.get("warm-up"); // the server caches the script, so the write below is one EVALSHA
        defaultCalls.set(0);

        RedisCommandStats before = RedisCommandStats.read(this.factory);
        List<Long> values = scores.mget(keys);
        RedisCommandStats after = RedisCommandStats.read(this.factory);

        for (int i = 0; i < 1000; i++) {
            assertThat(values.get(i)).isEqualTo((i % 2 == 0) ? i : -1L);
        }
        assertThat(defaultCalls).hasValue(500);
        assertThat(after.since(before, "mget")).isEqualTo(1);
        assertThat(after.since(before, "get")).as("GETs run inside the script only").isEqualTo(500);
        assertThat(after.since(before, "evalsha") + after.since(before, "eval")).isEqualTo(1);
        assertThat(after.since(before, "set")).as("SETs run inside the script only").isEqualTo(500);
        assertThat(after.since(before, "mset") + after.since(before, "msetnx") + after.since(before, "setnx"))
            .isZero();
        assertThat(scores.size()).isEqualTo(1001);
    }

    @Test
    void mgetWithEveryKeyPresentWritesNothing() {
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> 0L).build();
        scores.mset(Map.of("a", 1L, "b", 2L));

        RedisCommandStats before = RedisCommandStats.read(this.factory);
        assertThat(scores.mget(List.of("b", "a", "b"))).containsExactly(2L, 1L, 2L);
        RedisCommandStats after = RedisCommandStats.read(this.factory);

        assertThat(after.since(before, "mget")).isEqualTo(1);
        assertThat(after.since(before, "evalsha") + after.since(before, "eval")).isZero();
    }

    @Test
    void mgetFindsKeysThatAreNotAsciiUnderTheirUtf8Names() {
        this.redis.opsForValue().set("scores:ü:café", "1");
        this.redis.opsForValue().set("scores:ü:日本", "2");
        this.redis.opsForValue().set("scores:ü:\uD83C\uDFF9", "3");
        this.redis.opsForValue().set("scores:ü:plain", "4");

        // without defaults, so that a key sent under the wrong bytes fails rather than being filled in
        assertThat(longs("scores:ü:").build().mget(List.of("café", "日本", "\uD83C\uDFF9", "plain")))
            .containsExactly(1L, 2L, 3L, 4L);
        assertThat(longs("scores:ü:").defaults((key) -> -1L).build().mget(List.of("naïve", "plain")))
            .containsExactly(-1L, 4L);
        assertThat(this.redis.opsForValue().get("scores:ü:naïve")).isEqualTo("-1");
    }

    @Test
    void msetIsOneMset() {
        RedisDefaultDict<Long> scores = longs("scores:").build();
        Map<String, Long> values = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            values.put("k" + i, (long) i);
        }

        RedisCommandStats before = RedisCommandStats.read(this.factory);
        scores.mset(values);
        RedisCommandStats after = RedisCommandStats.read(this.factory);

        assertThat(after.since(before, "mset")).isEqualTo(1);
        assertThat(after.since(before, "set")).isZero();
        assertThat(scores.mget(List.of("k0", "k99"))).containsExactly(0L, 99L);
    }

    @Test
    void msetWithANullValueWritesNothing() {
        RedisDefaultDict<Long> scores = longs("scores:").build();
        Map<String, Long> values = new LinkedHashMap<>();
        values.put("a", 1L);
        values.put("b", null);
        values.put("c", 3L);

        assertThatIllegalArgumentException().isThrownBy(() -> scores.mset(values))
            .withMessageContaining("'scores:b'")
            .withMessageContaining("must not be null");
        assertThat(this.redis.keys("*")).isEmpty();
    }

    @Test
    void executeRunsFgetAndFsetOpsInOnePipelineAndAppliesTheDefault() {
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> 7L).build();
        scores.get("warm-up");
        List<DictOp> ops = List.of(scores.fset("a", 1L), scores.fset("b", 2L), scores.fget("a"),
                scores.fget("missing"), scores.fget("b"));

        RedisCommandStats before = RedisCommandStats.read(this.factory);
        List<Object> results = scores.execute(ops);
        RedisCommandStats after = RedisCommandStats.read(this.factory);

        assertThat(results).containsExactly(true, true, 1L, 7L, 2L);
        assertThat(after.since(before, "set")).as("2 SETs, 1 in the script").isEqualTo(3);
        assertThat(after.since(before, "evalsha") + after.since(before, "eval")).isEqualTo(1);
        assertThat(this.redis.opsForValue().get("scores:missing")).isEqualTo("7");
    }

    @Test
    void fgetAndFsetCarryThePrefixedKeyAndTheExactSerializedBytes() {
        RedisDefaultDict<Quote> quotes = RedisDefaultDict.builder(this.factory, Quote.class).prefix("q:").build();

        DictOp write = quotes.fset("ACME", new Quote("ACME", 1.5, List.of()));
        DictOp read = quotes.fget("ACME");

        assertThat(write.kind()).isEqualTo(DictOp.Kind.SET);
        assertThat(write.key()).isEqualTo("q:ACME");
        assertThat(new String((byte[]) write.value(), StandardCharsets.UTF_8))
            .isEqualTo("{\"symbol\":\"ACME\",\"price\":1.5,\"tags\":[]}");
        assertThat(read.args()).containsExactly("q:ACME");
        try (RedisConnection connection = this.factory.getConnection()) {
            connection.stringCommands()
                .set(((String) write.key()).getBytes(StandardCharsets.UTF_8), (byte[]) write.value());
        }
        assertThat(quotes.get("ACME")).isEqualTo(new Quote("ACME", 1.5, List.of()));
    }

    @Test
    void executeRefusesTheWholeBatchWhenAnOpIsNotThisDictsBeforeSendingAnything() {
        RedisDefaultDict<Long> scores = longs("scores:").build();
        RedisDefaultDict<Long> others = longs("others:").build();

        assertThatIllegalArgumentException()
            .isThrownBy(() -> scores.execute(List.of(scores.fset("a", 1L), others.fset("b", 2L))))
            .withMessageContaining("ops[1]")
            .withMessageContaining("'scores:'");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> scores.execute(List.of(scores.fset("a", 1L), DictOp.set("scores:b", 2L))))
            .withMessageContaining("ops[1]")
            .withMessageContaining("serialized bytes");
        assertThat(this.redis.keys("*")).isEmpty();
    }

    @Test
    void twoInstancesRacingOnAMissingKeyEndWithOneStoredValueThatBothReturn(RedisEndpoint endpoint) throws Exception {
        LettuceConnectionFactory otherFactory = endpoint.newConnectionFactory();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier bothComputed = new CyclicBarrier(2);
            RedisDefaultDict<String> first = racingDict(this.factory, bothComputed);
            RedisDefaultDict<String> second = racingDict(otherFactory, bothComputed);
            for (int round = 0; round < 20; round++) {
                String key = "key-" + round;
                Future<String> one = threads.submit(() -> first.get(key));
                Future<String> two = threads.submit(() -> second.get(key));

                String stored = this.redis.opsForValue().get("race:" + key);
                assertThat(one.get(5, TimeUnit.SECONDS)).isEqualTo(two.get(5, TimeUnit.SECONDS))
                    .isEqualTo(first.get(key));
                assertThat(this.redis.opsForValue().get("race:" + key)).isEqualTo("\"" + first.get(key) + "\"");
                assertThat(stored == null || stored.equals("\"" + first.get(key) + "\"")).isTrue();
            }
        }
        finally {
            threads.shutdownNow();
            otherFactory.destroy();
        }
    }

    @Test
    void concurrentAgetsOfOneMissingKeyShareOneDefaultCall() {
        AtomicInteger calls = new AtomicInteger();
        RedisDefaultDict<String> dict = RedisDefaultDict.builder(this.factory, String.class)
            .prefix("async:")
            .asyncDefaults((key) -> {
                calls.incrementAndGet();
                return CompletableFuture.supplyAsync(() -> key + "-" + UUID.randomUUID(),
                        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
            })
            .build();

        List<CompletableFuture<String>> gets = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            gets.add(dict.aget("k"));
        }

        List<String> values = gets.stream().map(CompletableFuture::join).toList();
        assertThat(calls).hasValue(1);
        assertThat(values).hasSize(32).containsOnly(values.get(0));
        assertThat(this.redis.opsForValue().get("async:k")).isEqualTo("\"" + values.get(0) + "\"");
    }

    @Test
    void aReadAfterAValueSetDuringTheDefaultWasRemovedSharesThatDefault() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Long> pending = new CompletableFuture<>();
        RedisDefaultDict<Long> scores = longs("single-flight:").asyncDefaults((key) -> {
            calls.incrementAndGet();
            return pending;
        }).build();
        CompletableFuture<Long> first = scores.aget("k");
        // the first read's GET goes out on another connection: set only once it has missed and called the default
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() == 1);
        scores.set("k", 5L);
        assertThat(scores.remove("k")).isTrue();

        CompletableFuture<Long> second = scores.aget("k");
        ExecutorService threads = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> reader = new AtomicReference<>();
            Future<Long> blocking = threads.submit(() -> {
                reader.set(Thread.currentThread());
                return scores.get("k");
            });
            // the blocking read either waits for the running default or, wrongly, calls it again
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> blocking.isDone()
                    || calls.get() > 1 || (reader.get() != null && reader.get().getState() == Thread.State.WAITING));
            assertThat(calls).as("default calls while the first one runs").hasValue(1);
            pending.complete(1L);

            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
            assertThat(blocking.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
        }
        finally {
            threads.shutdownNow();
        }
        assertThat(calls).hasValue(1);
        assertThat(this.redis.opsForValue().get("single-flight:k")).isEqualTo("1");
    }

    @Test
    void agetRunsAPlainDefaultOffTheCallingThreadAndAsetStores() {
        Thread caller = Thread.currentThread();
        List<Thread> defaultThreads = new ArrayList<>();
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> {
            synchronized (defaultThreads) {
                defaultThreads.add(Thread.currentThread());
            }
            return 3L;
        }).build();

        assertThat(scores.aget("a").join()).isEqualTo(3L);
        scores.aset("b", 4L).join();

        assertThat(defaultThreads).hasSize(1).doesNotContain(caller);
        assertThat(scores.aget("b").join()).isEqualTo(4L);
        assertThat(this.redis.opsForValue().get("scores:b")).isEqualTo("4");
    }

    @Test
    void undecodableBytesRaiseAnErrorNamingTheKeyAndTypeAndAreLeftAsTheyAre() {
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> 0L).build();
        this.redis.opsForValue().set("scores:bad", "not json {");
        scores.set("good", 1L);

        assertThatExceptionOfType(DictValueDecodingException.class).isThrownBy(() -> scores.get("bad"))
            .withMessageContaining("'scores:bad'")
            .withMessageContaining("java.lang.Long")
            .satisfies((ex) -> assertThat(ex.key()).isEqualTo("scores:bad"));
        assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> scores.aget("bad").join())
            .withCauseInstanceOf(DictValueDecodingException.class);
        assertThatExceptionOfType(DictValueDecodingException.class)
            .isThrownBy(() -> scores.mget(List.of("good", "missing", "bad")))
            .withMessageContaining("'scores:bad'");

        assertThat(this.redis.opsForValue().get("scores:bad")).isEqualTo("not json {");
        assertThat(this.redis.hasKey("scores:missing")).as("no default written beside garbage").isFalse();
        assertThat(scores.get("good")).isEqualTo(1L);
    }

    @Test
    void largeMgetDecodesEachValueFromItsOwnBytesAndNamesTheKeyWhoseBytesDoNot() {
        RedisDefaultDict<Quote> quotes = RedisDefaultDict.builder(this.factory, Quote.class).prefix("quotes:").build();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            quotes.set("Q" + i, new Quote("Q" + i, i, List.of("t" + i)));
            keys.add("Q" + i);
        }
        assertThat(quotes.mget(keys)).extracting(Quote::symbol).containsExactlyElementsOf(keys);

        // blanks around a value are valid JSON, whether it is decoded in the batch or alone
        this.redis.opsForValue().set("quotes:Q2", " {\"symbol\":\"Q2\",\"price\":2,\"tags\":[]}\n ");
        this.redis.opsForValue().set("quotes:Q3", "\t{\"symbol\":\"Q3\",\"price\":3,\"tags\":[]}");
        assertThat(quotes.mget(keys)).extracting(Quote::symbol).containsExactlyElementsOf(keys);

        // two values in one key's bytes, and a value split across two keys: each decodes when the bytes are joined
        this.redis.opsForValue().set("quotes:Q3", "{\"symbol\":\"A\",\"price\":1,\"tags\":[]} 7");
        assertThatExceptionOfType(DictValueDecodingException.class).isThrownBy(() -> quotes.mget(keys))
            .satisfies((ex) -> assertThat(ex.key()).isEqualTo("quotes:Q3"));
        this.redis.opsForValue().set("quotes:Q3", "{\"symbol\":\"A\",");
        this.redis.opsForValue().set("quotes:Q4", "\"price\":1,\"tags\":[]}");
        assertThatExceptionOfType(DictValueDecodingException.class).isThrownBy(() -> quotes.mget(keys))
            .satisfies((ex) -> assertThat(ex.key()).isEqualTo("quotes:Q3"));
        quotes.set("Q4", new Quote("Q4", 4, List.of("t4")));
        this.redis.opsForValue().set("quotes:Q3", "   ");
        assertThatExceptionOfType(DictValueDecodingException.class).isThrownBy(() -> quotes.mget(keys))
            .satisfies((ex) -> assertThat(ex.key()).isEqualTo("quotes:Q3"));
    }

    @Test
    void everyWriteSetsTheTimeToLive() {
        RedisDefaultDict<Long> scores = longs("scores:").ttl(Duration.ofSeconds(30)).defaults((key) -> 0L).build();

        scores.set("set", 1L);
        scores.mset(Map.of("mset-1", 1L, "mset-2", 2L));
        scores.get("default");
        scores.mget(List.of("mget-default"));
        scores.aset("aset", 1L).join();
        scores.aget("aget-default").join();
        scores.execute(List.of(scores.fset("op", 1L)));

        for (String key : List.of("set", "mset-1", "mset-2", "default", "mget-default", "aset", "aget-default",
                "op")) {
            assertThat(this.redis.getExpire("scores:" + key, TimeUnit.MILLISECONDS)).as(key)
                .isPositive()
                .isLessThanOrEqualTo(30_000);
        }
    }

    @Test
    void zeroTimeToLiveMeansNoExpiry() {
        RedisDefaultDict<Long> scores = longs("scores:").ttl(Duration.ZERO).defaults((key) -> 0L).build();

        scores.set("set", 1L);
        scores.mset(Map.of("mset", 1L));
        scores.get("default");

        for (String key : List.of("set", "mset", "default")) {
            assertThat(this.redis.getExpire("scores:" + key, TimeUnit.MILLISECONDS)).as(key).isEqualTo(-1);
        }
    }

    @Test
    void withoutADefaultAMissingKeyRaisesNoSuchElementNamingTheKey() {
        RedisDefaultDict<Long> scores = longs("scores:").build();

        assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(() -> scores.get("nobody"))
            .withMessageContaining("'scores:nobody'");
        assertThatExceptionOfType(NoSuchElementException.class).isThrownBy(() -> scores.mget(List.of("x", "y")))
            .withMessageContaining("'scores:x'")
            .withMessageContaining("'scores:y'");
        assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> scores.aget("nobody").join())
            .withCauseInstanceOf(NoSuchElementException.class);
        assertThat(this.redis.keys("*")).isEmpty();
    }

    @Test
    void nullKeysAndValuesAreRefusedWithMessagesNamingThem() {
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> 0L).build();

        assertThatNullPointerException().isThrownBy(() -> scores.get(null)).withMessageContaining("key");
        assertThatNullPointerException().isThrownBy(() -> scores.aget(null)).withMessageContaining("key");
        assertThatNullPointerException().isThrownBy(() -> scores.mget(java.util.Arrays.asList("a", null)))
            .withMessageContaining("keys[1]");
        assertThatIllegalArgumentException().isThrownBy(() -> scores.set("a", null))
            .withMessageContaining("value")
            .withMessageContaining("re-trigger the default");
        assertThatIllegalArgumentException().isThrownBy(() -> scores.aset("a", null)).withMessageContaining("value");
        assertThatIllegalArgumentException().isThrownBy(() -> scores.fset("a", null)).withMessageContaining("value");
    }

    @Test
    void aDefaultReturningNullFailsAndStoresNothing() {
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> null).build();

        assertThatIllegalStateException().isThrownBy(() -> scores.get("a")).withMessageContaining("'a'");
        assertThat(this.redis.keys("*")).isEmpty();
        assertThatIllegalStateException().isThrownBy(() -> scores.get("a")).as("a failed load is not kept");
    }

    @Test
    void builderRefusesSettingsTwiceAndBadValuesNamingThem() {
        assertThatIllegalStateException().isThrownBy(() -> longs("a:").prefix("b:"))
            .withMessageContaining("prefix was already set to a:");
        assertThatIllegalStateException()
            .isThrownBy(() -> longs("a:").defaults((key) -> 0L)
                .asyncDefaults((key) -> CompletableFuture.completedFuture(0L)))
            .withMessageContaining("asyncDefaults")
            .withMessageContaining("exclusive");
        assertThatIllegalArgumentException().isThrownBy(() -> longs("a:").ttl(Duration.ofSeconds(-1)))
            .withMessageContaining("ttl must not be negative: PT-1S");
        assertThatIllegalArgumentException().isThrownBy(() -> longs("a:").ttl(Duration.ofNanos(10)))
            .withMessageContaining("ttl");
        assertThatIllegalStateException()
            .isThrownBy(() -> longs("a:").jsonMapper(JsonMapper.builder().build())
                .serializer(new JacksonJsonRedisSerializer<>(Long.class)))
            .withMessageContaining("serializer cannot be set: jsonMapper was already set");
        assertThatNullPointerException().isThrownBy(() -> longs("a:").ttl(null)).withMessageContaining("ttl");
    }

    @Test
    void removeDeletesAndSizeCountsOnlyKeysWithThePrefix() {
        RedisDefaultDict<Long> scores = longs("sc*res:").build();
        scores.mset(Map.of("a", 1L, "b", 2L, "c", 3L));
        this.redis.opsForValue().set("scXres:d", "4");
        this.redis.opsForValue().set("other", "5");

        assertThat(scores.size()).isEqualTo(3);
        assertThat(scores.remove("a")).isTrue();
        assertThat(scores.remove("a")).isFalse();
        assertThat(scores.size()).isEqualTo(2);
    }

    @Test
    void observerHearsHitsDefaultsAndSetsWithOneCallPerKindForABatch() {
        List<String> heard = new ArrayList<>();
        DictObserver observer = new DictObserver() {

            @Override
            public synchronized void recordHits(int count) {
                heard.add("hit " + count);
            }

            @Override
            public synchronized void recordDefaults(int count) {
                heard.add("default " + count);
            }

            @Override
            public synchronized void recordSets(int count) {
                heard.add("set " + count);
            }

        };
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> 0L).observer(observer).build();

        scores.set("a", 1L);
        scores.mset(Map.of("b", 2L, "c", 3L));
        scores.get("a");
        scores.mget(List.of("b", "new"));
        scores.aget("c").join();
        scores.execute(List.of(scores.fset("d", 4L), scores.fget("d")));
        scores.mget(List.of("a", "x", "b", "y", "c"));

        assertThat(heard).containsExactly("set 1", "set 2", "hit 1", "hit 1", "default 1", "hit 1", "set 1", "hit 1",
                "hit 3", "default 2");
    }

    @Test
    void aRejectingExecutorFailsTheAsyncLoadWithoutWedgingTheKey() {
        RedisDefaultDict<Long> scores = longs("scores:").defaults((key) -> 0L).executor((task) -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        }).build();

        for (int i = 0; i < 2; i++) {
            assertThatExceptionOfType(CompletionException.class).isThrownBy(() -> scores.aget("a").join())
                .withCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        }
        assertThat(scores.get("a")).as("the blocking call runs the default itself").isZero();
    }

    @Test
    void passwordProtectedRedisServesTheDict(RedisServers servers) {
        RedisServerProcess server = servers.start("s3cret-pass");
        LettuceConnectionFactory secured = server.endpoint().newConnectionFactory();
        try {
            RedisDefaultDict<Long> scores = RedisDefaultDict.builder(secured, Long.class)
                .prefix("scores:")
                .defaults((key) -> 9L)
                .build();

            scores.set("a", 1L);
            assertThat(scores.get("a")).isEqualTo(1L);
            assertThat(scores.mget(List.of("a", "b"))).containsExactly(1L, 9L);
            assertThat(scores.aget("c").join()).isEqualTo(9L);
        }
        finally {
            secured.destroy();
        }
    }

    private RedisDefaultDict.Builder<Long> longs(String prefix) {
        return RedisDefaultDict.builder(this.factory, Long.class).prefix(prefix);
    }

    private static RedisDefaultDict<String> racingDict(LettuceConnectionFactory factory, CyclicBarrier bothComputed) {
        return RedisDefaultDict.builder(factory, String.class).prefix("race:").defaults((key) -> {
            String value = key + "-" + UUID.randomUUID();
            try {
                // both instances have computed their own default before either stores it
                bothComputed.await(5, TimeUnit.SECONDS);
            }
            catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
            return value;
        }).build();
    }

    record Quote(String symbol, double price, List<String> tags) {
    }

}
