package dev.quiver.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import dev.quiver.dicts.DictValueDecodingException;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.SealLock;
import dev.quiver.objects.ArrowCache;
import dev.quiver.objects.CloneGenerator;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Scenario 7, bad input, one row per input: each either behaves as documented (the row's check passes) or raises
 * the documented exception type with a message that names the problem; and afterwards the keyspace holds exactly
 * what it should: nothing for a refused write (no partial {@code mset}), the planted bytes untouched after a failed
 * decode, no defaults written by a failed {@code mget}.
 */
@Tag("reliability")
@RedisTest
class BadInputTest {

    private static final String PREFIX = "quiver:dict:bad:";

    private static final byte[] GARBAGE = { (byte) 0xff, 0x00, (byte) 0xc3, 0x28, '{', '"' };

    private Fixture fixture;

    @BeforeEach
    void connect(RedisEndpoint endpoint) {
        this.fixture = new Fixture(endpoint.newConnectionFactory(Duration.ofSeconds(10)));
    }

    @AfterEach
    void disconnect() {
        this.fixture.factory.destroy();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void eachBadInputGetsItsDocumentedBehaviourAndTheKeyspaceHoldsExactlyWhatItShould(Row row) {
        Throwable thrown = catchThrowable(() -> row.attempt().accept(this.fixture));
        if (row.expected() == null) {
            assertThat(thrown).as("%s: documented to work", row.input()).isNull();
        }
        else {
            assertThat(thrown).as(row.input()).isInstanceOf(row.expected());
            assertThat(thrown).as(row.input()).hasMessageContaining(row.message());
        }
        row.keyspace().accept(this.fixture);
        Figures.report(7, "%-48s -> %s", row.input(), (thrown != null)
                ? thrown.getClass().getSimpleName() + ": " + abbreviate(thrown.getMessage()) : "as documented: "
                        + row.message());
    }

    static Stream<Row> rows() {
        return Stream.of(
                // null and empty keys and values
                refused("null key to dict.get", (f) -> f.dict.get(null), NullPointerException.class, "key"),
                refused("null key to dict.set", (f) -> f.dict.set(null, "v"), NullPointerException.class, "key"),
                refused("null value to dict.set", (f) -> f.dict.set("k", null), IllegalArgumentException.class,
                        "must not be null"),
                refused("null key among mget keys", (f) -> f.dict.mget(Arrays.asList("a", null, "c")),
                        NullPointerException.class, "keys[1]"),
                refused("null value in an mset of 1,000", (f) -> f.dict.mset(thousandWithNullAt(500)),
                        IllegalArgumentException.class, "must not be null"),
                refused("null key in an mset", (f) -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    values.put("a", "1");
                    values.put(null, "2");
                    f.dict.mset(values);
                }, NullPointerException.class, "key"),
                works("empty key to dict.get", (f) -> assertThat(f.dict.get("")).isEqualTo("default:"),
                        "an empty key is a key like any other, stored at the bare prefix", keys(PREFIX)),
                works("empty string value (JSON)", (f) -> {
                    f.dict.set("k", "");
                    assertThat(f.dict.get("k")).isEmpty();
                }, "stored as the JSON \"\" and read back", (f) -> {
                    assertThat(f.redis.opsForValue().get(PREFIX + "k")).isEqualTo("\"\"");
                    keys(PREFIX + "k").accept(f);
                }),
                refused("empty value with a raw string serializer", (f) -> f.rawDict.set("k", ""),
                        IllegalArgumentException.class, "serialized to no bytes"),
                refused("null key to ArrowCache.get", (f) -> new ArrowCache<String, String>().get(null),
                        NullPointerException.class, "key"),
                refused("null value to ArrowCache.set", (f) -> new ArrowCache<String, String>().set("k", null),
                        NullPointerException.class, "value"),
                // negative and zero durations
                refused("zero lock timeout", (f) -> RedisLock.builder(f.factory, "l").timeout(Duration.ZERO),
                        IllegalArgumentException.class, "timeout must be at least 1ms"),
                refused("negative lock timeout",
                        (f) -> RedisLock.builder(f.factory, "l").timeout(Duration.ofSeconds(-1)),
                        IllegalArgumentException.class, "timeout must be at least 1ms, got PT-1S"),
                refused("zero lock sleep", (f) -> RedisLock.builder(f.factory, "l").sleep(Duration.ZERO),
                        IllegalArgumentException.class, "sleep must be at least 1ms"),
                refused("negative blocking timeout to acquire", (f) -> lock(f, "l").acquire(Duration.ofMillis(-1)),
                        IllegalArgumentException.class, "blockingTimeout must not be negative"),
                works("zero blocking timeout to acquire", (f) -> {
                    try {
                        lock(f, "l").acquire(Duration.ZERO).get(5, TimeUnit.SECONDS).close();
                    }
                    catch (Exception ex) {
                        throw new AssertionError(ex);
                    }
                }, "tries once; the free lock is taken and released", BadInputTest::empty),
                refused("zero extend", (f) -> {
                    RedisLock lock = lock(f, "l");
                    assertThat(lock.tryAcquire()).isTrue();
                    try {
                        lock.extend(Duration.ZERO);
                    }
                    finally {
                        lock.release();
                    }
                }, IllegalArgumentException.class, "additional must be at least 1ms"),
                refused("negative dict ttl", (f) -> RedisDefaultDict.builder(f.factory, String.class)
                    .ttl(Duration.ofMillis(-5)), IllegalArgumentException.class, "ttl must not be negative"),
                works("zero dict ttl", (f) -> {
                    RedisDefaultDict<String> dict = RedisDefaultDict.builder(f.factory, String.class)
                        .prefix(PREFIX)
                        .ttl(Duration.ZERO)
                        .build();
                    dict.set("k", "v");
                    assertThat(f.redis.getExpire(PREFIX + "k")).isEqualTo(-1L);
                }, "no expiry", keys(PREFIX + "k")),
                refused("negative ArrowCache expiration", (f) -> new ArrowCache<>(Duration.ofSeconds(-1), 10),
                        IllegalArgumentException.class, "expiration must be positive"),
                refused("zero ArrowCache expiration", (f) -> new ArrowCache<>(Duration.ZERO, 10),
                        IllegalArgumentException.class, "expiration must be positive"),
                refused("zero ArrowCache max entries", (f) -> new ArrowCache<>(Duration.ofSeconds(1), 0),
                        IllegalArgumentException.class, "maxEntries"),
                refused("negative SealLock blocking timeout", (f) -> new SealLock("s").acquire(Duration.ofNanos(-1)),
                        IllegalArgumentException.class, "blockingTimeout"),
                // values that cannot be written
                refused("non-Serializable element to CloneGenerator",
                        (f) -> new CloneGenerator<>(List.of(new Object())).iterator().next(),
                        IllegalArgumentException.class, "java.lang.Object) is not Serializable"),
                refused("value Jackson cannot write, in an mset of 3", (f) -> {
                    RedisDefaultDict<Object> objects = RedisDefaultDict.builder(f.factory, Object.class)
                        .prefix(PREFIX)
                        .build();
                    Map<String, Object> values = new LinkedHashMap<>();
                    values.put("a", 1);
                    values.put("b", new Loop());
                    values.put("c", 3);
                    objects.mset(values);
                }, RuntimeException.class, "Loop"),
                // bytes another program planted
                refused("garbage bytes at a dict key, get", (f) -> {
                    f.plantGarbage("k");
                    f.longs.get("k");
                }, DictValueDecodingException.class,
                        "Value at key 'quiver:dict:bad:k' does not decode as java.lang.Long",
                        BadInputTest::onlyTheGarbage),
                refused("garbage bytes among an mget with missing keys", (f) -> {
                    f.plantGarbage("k");
                    f.longs.mget(List.of("a", "k", "b"));
                }, DictValueDecodingException.class, "quiver:dict:bad:k", BadInputTest::onlyTheGarbage),
                // names and sizes
                works("lock name with spaces and unicode", (f) -> {
                    String name = "nightly report 📊 ünïcödé";
                    RedisLock first = lock(f, name);
                    RedisLock second = lock(f, name);
                    assertThat(first.tryAcquire()).isTrue();
                    assertThat(f.redis.hasKey("quiver:lock:" + name)).isTrue();
                    assertThat(second.tryAcquire()).isFalse();
                    first.release();
                    assertThat(second.tryAcquire()).isTrue();
                    second.release();
                }, "a key of its UTF-8 bytes, excluding like any other", BadInputTest::empty),
                refused("blank lock name", (f) -> RedisLock.builder(f.factory, " \t"), IllegalArgumentException.class,
                        "name must not be blank"),
                works("1 MiB value", (f) -> {
                    String big = "x".repeat(1024 * 1024);
                    f.dict.set("big", big);
                    assertThat(f.dict.get("big")).isEqualTo(big);
                }, "stored and read back whole", (f) -> {
                    assertThat(f.redis.opsForValue().size(PREFIX + "big")).isEqualTo(1024 * 1024 + 2L);
                    keys(PREFIX + "big").accept(f);
                }),
                works("100,000-key mget, half present", (f) -> {
                    Map<String, String> present = new LinkedHashMap<>();
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < 100_000; i++) {
                        keys.add("key" + i);
                        if (i % 2 == 0) {
                            present.put("key" + i, "value" + i);
                        }
                    }
                    f.dict.mset(present);
                    List<String> values = f.dict.mget(keys);
                    assertThat(values).hasSize(100_000);
                    assertThat(values.get(0)).isEqualTo("value0");
                    assertThat(values.get(99_999)).isEqualTo("default:key99999");
                }, "100,000 values in order; the 50,000 defaults stored in one script",
                        (f) -> assertThat(f.redis.execute((org.springframework.data.redis.core.RedisCallback<Long>) (
                                connection) -> connection.serverCommands().dbSize())).isEqualTo(100_000L)));
    }

    private static Row refused(String input, Consumer<Fixture> attempt, Class<? extends Throwable> expected,
            String message) {
        return new Row(input, attempt, expected, message, BadInputTest::empty);
    }

    private static Row refused(String input, Consumer<Fixture> attempt, Class<? extends Throwable> expected,
            String message, Consumer<Fixture> keyspace) {
        return new Row(input, attempt, expected, message, keyspace);
    }

    private static Row works(String input, Consumer<Fixture> attempt, String behaviour, Consumer<Fixture> keyspace) {
        return new Row(input, attempt, null, behaviour, keyspace);
    }

    private static RedisLock lock(Fixture fixture, String name) {
        return RedisLock.builder(fixture.factory, name).timeout(Duration.ofSeconds(2)).build();
    }

    private static Map<String, String> thousandWithNullAt(int index) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            values.put("k" + i, (i == index) ? null : "v" + i);
        }
        return values;
    }

    private static void empty(Fixture fixture) {
        // a lock's fence key (its last fencing token) outlives the lock key by design
        assertThat(fixture.redis.keys("*")).as("keyspace afterwards")
            .allMatch((key) -> key.startsWith("quiver:lock:") && key.contains(":fence"));
    }

    private static Consumer<Fixture> keys(String... keys) {
        return (fixture) -> assertThat(fixture.redis.keys("*")).as("keyspace afterwards").isEqualTo(Set.of(keys));
    }

    private static void onlyTheGarbage(Fixture fixture) {
        keys(PREFIX + "k").accept(fixture);
        byte[] stored = fixture.redis.execute((org.springframework.data.redis.core.RedisCallback<byte[]>) (
                connection) -> connection.stringCommands().get((PREFIX + "k").getBytes(StandardCharsets.UTF_8)));
        assertThat(stored).as("the planted bytes, untouched").isEqualTo(GARBAGE);
    }

    private static String abbreviate(String message) {
        String line = String.valueOf(message).lines().findFirst().orElse("");
        return (line.length() > 140) ? line.substring(0, 140) + "..." : line;
    }

    /**
     * One bad input: what is tried, the exception type and message expected (or, for {@code null}, the documented
     * behaviour the attempt checks), and what the keyspace must hold afterwards.
     */
    record Row(String input, Consumer<Fixture> attempt, Class<? extends Throwable> expected, String message,
            Consumer<Fixture> keyspace) {

        @Override
        public String toString() {
            return this.input;
        }
    }

    /** The connections and dicts a row works with. */
    static final class Fixture {

        final LettuceConnectionFactory factory;

        final StringRedisTemplate redis;

        final RedisDefaultDict<String> dict;

        final RedisDefaultDict<String> rawDict;

        final RedisDefaultDict<Long> longs;

        Fixture(LettuceConnectionFactory factory) {
            this.factory = factory;
            this.redis = new StringRedisTemplate(factory);
            this.dict = RedisDefaultDict.builder(factory, String.class)
                .prefix(PREFIX)
                .defaults((key) -> "default:" + key)
                .build();
            this.rawDict = RedisDefaultDict.builder(factory, String.class)
                .prefix(PREFIX)
                .serializer(RedisSerializer.string())
                .build();
            this.longs = RedisDefaultDict.builder(factory, Long.class).prefix(PREFIX).defaults((key) -> 0L).build();
        }

        void plantGarbage(String key) {
            this.redis.execute((org.springframework.data.redis.core.RedisCallback<Object>) (connection) -> connection
                .stringCommands()
                .set((PREFIX + key).getBytes(StandardCharsets.UTF_8), GARBAGE));
        }
    }

    /** A value Jackson cannot write: it refers to itself. */
    static final class Loop {

        public Loop getNext() {
            return this;
        }
    }
}
