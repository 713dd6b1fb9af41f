package dev.quiver.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisServerProcess;
import dev.quiver.testsupport.RedisServers;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Scenario 8, security: against a Redis with {@code requirepass} and an ACL user limited to the {@code quiver:*}
 * keys and channels, the locks and dicts work with the right credentials and fail cleanly with wrong ones: in
 * bounded time, without a storm of reconnection attempts, and without the password in any message of the cause
 * chain. Lock tokens are 128 random bits and differ across 100,000 acquisitions. (That no Redis data is ever read
 * with Java deserialization is {@link JavaDeserializationArchitectureTest}.)
 */
@Tag("reliability")
@RedisTest
class SecurityTest {

    private static final String ADMIN_PASSWORD = "admin-Pw-4f1c9e";

    private static final String USER = "quiver";

    private static final String PASSWORD = "quiver-Pw-8b27d3";

    private static final String WRONG_PASSWORD = "wrong-Pw-31aa07";

    private static final Pattern TOKEN = Pattern.compile("[0-9a-f]{32}");

    @Test
    void theRightCredentialsServeLocksAndDictsUnderAnAclLimitedToQuiverKeys(RedisServers servers) throws Exception {
        RedisServerProcess server = aclServer(servers);
        LettuceConnectionFactory factory = userFactory(server, PASSWORD);
        try {
            RedisLock holder = RedisLock.builder(factory, "acl").timeout(Duration.ofSeconds(5)).build();
            RedisLock waiter = RedisLock.builder(factory, "acl").sleep(Duration.ofSeconds(5)).build();
            assertThat(holder.tryAcquire()).isTrue();
            assertThat(holder.extend(Duration.ofSeconds(1)).get(5, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Permit> waiting = waiter.acquire();
            Thread.sleep(200);
            long released = System.nanoTime();
            holder.release();
            // a sleep of 5 s leaves the published release (channel quiver:lock:acl) as the only quick wake-up
            waiting.get(3, TimeUnit.SECONDS).close();
            long wakeUpMillis = Figures.millisSince(released);
            assertThat(wakeUpMillis).isLessThan(2_000);

            RedisDefaultDict<Long> dict = RedisDefaultDict.builder(factory, Long.class)
                .prefix("quiver:dict:acl:")
                .defaults((key) -> (long) key.length())
                .build();
            assertThat(dict.get("abc")).isEqualTo(3L);
            dict.set("abc", 7L);
            assertThat(dict.aget("abc").get(5, TimeUnit.SECONDS)).isEqualTo(7L);
            Map<String, Long> values = new LinkedHashMap<>();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) {
                values.put("m" + i, (long) i);
                keys.add("m" + i);
                keys.add("d" + i);
            }
            dict.mset(values);
            List<Long> read = dict.mget(keys);
            assertThat(read).hasSize(2_000);
            assertThat(read.get(2 * 999)).isEqualTo(999L);
            assertThat(dict.execute(List.of(dict.fset("x", 1L), dict.fget("x")))).containsExactly(Boolean.TRUE, 1L);
            assertThat(dict.size()).isEqualTo(2_002);
            assertThat(dict.remove("x")).isTrue();

            // the ACL does bite: the same user may not touch a key outside quiver:*
            RedisDefaultDict<Long> outside = RedisDefaultDict.builder(factory, Long.class).prefix("other:").build();
            assertThatThrownBy(() -> outside.set("k", 1L)).hasStackTraceContaining("NOPERM");
            // and an mget is refused with the exception Spring's own MGET throws
            Throwable springRefusal;
            try (RedisConnection connection = factory.getConnection()) {
                springRefusal = catchThrowable(() -> connection.stringCommands()
                    .mGet("other:k".getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(springRefusal).hasStackTraceContaining("NOPERM");
            assertThatThrownBy(() -> outside.mget(List.of("k", "l"))).isExactlyInstanceOf(springRefusal.getClass())
                .hasStackTraceContaining("NOPERM");
            Figures.report(8, "as ACL user '%s' (~quiver:* &quiver:* +@all -@dangerous) on a requirepass server: "
                    + "lock acquire/extend/release and a waiter woken by the published release after %d ms; dict "
                    + "get/set/aget, mset of 1,000, mget of 2,000 (1,000 defaults), execute, size, remove all "
                    + "worked; a key outside quiver:* was refused with NOPERM", USER, wakeUpMillis);
        }
        finally {
            factory.destroy();
        }
    }

    @Test
    void wrongCredentialsFailCleanlyWithoutARetryStormOrThePasswordInAnyMessage(RedisServers servers)
            throws Exception {
        RedisServerProcess server = aclServer(servers);
        LettuceConnectionFactory admin = server.endpoint().newConnectionFactory();
        LettuceConnectionFactory factory = userFactory(server, WRONG_PASSWORD);
        try {
            StringRedisTemplate adminRedis = new StringRedisTemplate(admin);
            Properties before = stats(admin);
            Duration blockingTimeout = Duration.ofSeconds(2);
            RedisLock lock = RedisLock.builder(factory, "acl").blockingTimeout(blockingTimeout).build();
            RedisDefaultDict<Long> dict = RedisDefaultDict.builder(factory, Long.class)
                .prefix("quiver:dict:acl:")
                .defaults((key) -> 0L)
                .build();
            Map<String, Failure> failures = new LinkedHashMap<>();
            failures.put("lock.acquire", failure(() -> lock.acquire().get(10, TimeUnit.SECONDS)));
            failures.put("lock.tryAcquire", failure(lock::tryAcquire));
            failures.put("dict.get", failure(() -> dict.get("k")));
            failures.put("dict.aget", failure(() -> dict.aget("k").get(10, TimeUnit.SECONDS)));
            failures.put("dict.mget", failure(() -> dict.mget(List.of("a", "b"))));
            failures.put("dict.mset", failure(() -> {
                dict.mset(Map.of("a", 1L, "b", 2L));
                return null;
            }));
            // anything retrying in the background would keep connecting during this pause
            Thread.sleep(1_000);
            Properties after = stats(admin);

            long connections = delta(before, after, "total_connections_received");
            failures.forEach((call, failure) -> {
                assertThat(failure.thrown()).as("%s with a wrong password", call).isNotNull();
                assertThat(Duration.ofMillis(failure.millis())).as("how long %s took to fail", call)
                    .isLessThan(blockingTimeout.plusSeconds(1));
                for (Throwable cause = failure.thrown(); cause != null; cause = cause.getCause()) {
                    assertThat(String.valueOf(cause)).as("a message in the cause chain of %s", call)
                        .doesNotContain(WRONG_PASSWORD, PASSWORD, ADMIN_PASSWORD);
                    for (Throwable suppressed : cause.getSuppressed()) {
                        assertThat(String.valueOf(suppressed)).doesNotContain(WRONG_PASSWORD, PASSWORD);
                    }
                }
            });
            assertThat(connections).as("connection attempts for %d failed calls", failures.size())
                .isLessThanOrEqualTo(2L * failures.size());
            assertThat(adminRedis.keys("*")).as("keys written with a wrong password").isEmpty();
            Figures.report(8, "with a wrong password: %s; Redis saw %d connection attempts for %d calls "
                    + "over %d ms, none retrying in the background; no message in any cause chain holds a password; "
                    + "nothing written", failures, connections, failures.size(),
                    failures.values().stream().mapToLong(Failure::millis).sum() + 1_000);
        }
        finally {
            factory.destroy();
            admin.destroy();
        }
    }

    @Test
    void lockTokensAre128RandomBitsThatDifferAcrossAHundredThousandAcquisitions(RedisEndpoint endpoint)
            throws Exception {
        LettuceConnectionFactory factory = endpoint.newConnectionFactory();
        int acquisitions = 100_000;
        int batch = 2_000;
        Set<String> tokens = new HashSet<>(2 * acquisitions);
        int[] onesPerBit = new int[128];
        long start = System.nanoTime();
        try {
            StringRedisTemplate redis = new StringRedisTemplate(factory);
            for (int first = 0; first < acquisitions; first += batch) {
                // hold a batch of distinct locks at once, read their keys with one MGET, then let them all go
                CompletableFuture<Void> read = new CompletableFuture<>();
                CountDownLatch held = new CountDownLatch(batch);
                List<CompletableFuture<Void>> runs = new ArrayList<>(batch);
                List<String> keys = new ArrayList<>(batch);
                for (int i = first; i < first + batch; i++) {
                    // a lease far longer than a batch takes, so that a busy machine cannot let the first locks expire
                    RedisLock lock = RedisLock.builder(factory, "token-" + i).timeout(Duration.ofMinutes(2)).build();
                    keys.add(lock.key());
                    runs.add(lock.withLock(() -> {
                        held.countDown();
                        return read;
                    }));
                }
                assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
                for (String token : redis.opsForValue().multiGet(keys)) {
                    assertThat(token).matches(TOKEN);
                    assertThat(tokens.add(token)).as("token %s seen before", token).isTrue();
                    for (int bit = 0; bit < 128; bit++) {
                        int nibble = Character.digit(token.charAt(bit / 4), 16);
                        onesPerBit[bit] += (nibble >> (3 - bit % 4)) & 1;
                    }
                }
                read.complete(null);
                CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            }
            // a lock's fence key (its last fencing token) outlives the lock key by design
            assertThat(redis.keys("quiver:lock:*")).as("lock keys left").allMatch((key) -> key.contains(":fence"));
        }
        finally {
            factory.destroy();
        }
        assertThat(tokens).hasSize(acquisitions);
        // every one of the 128 bits is random: set in half of the tokens, give or take 1% (over 6 standard deviations)
        int fewest = acquisitions;
        int most = 0;
        for (int ones : onesPerBit) {
            fewest = Math.min(fewest, ones);
            most = Math.max(most, ones);
        }
        assertThat(fewest).isGreaterThan(acquisitions * 49 / 100);
        assertThat(most).isLessThan(acquisitions * 51 / 100);
        Figures.report(8, "%d acquisitions in %d ms: %d distinct tokens of 32 hex digits (128 bits); each bit set "
                + "in %.2f%%..%.2f%% of them", acquisitions, Figures.millisSince(start), tokens.size(),
                fewest * 100.0 / acquisitions, most * 100.0 / acquisitions);
    }

    /** A throw-away server with requirepass for the default user, and the quiver user limited to quiver:*. */
    private static RedisServerProcess aclServer(RedisServers servers) {
        RedisServerProcess server = servers.start(ADMIN_PASSWORD);
        assertThat(server.command("ACL", "SETUSER", USER, "reset", "on", ">" + PASSWORD, "~quiver:*", "&quiver:*",
                "+@all", "-@dangerous")).isEqualTo("+OK");
        return server;
    }

    private static LettuceConnectionFactory userFactory(RedisServerProcess server, String password) {
        RedisEndpoint endpoint = server.endpoint();
        RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(endpoint.host(), endpoint.port());
        configuration.setUsername(USER);
        configuration.setPassword(password);
        LettuceClientConfiguration client = LettuceClientConfiguration.builder()
            .commandTimeout(Duration.ofSeconds(2))
            .build();
        LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration, client);
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    private static Properties stats(LettuceConnectionFactory admin) {
        try (var connection = admin.getConnection()) {
            return connection.serverCommands().info("stats");
        }
    }

    private static long delta(Properties before, Properties after, String name) {
        return Long.parseLong(after.getProperty(name, "0")) - Long.parseLong(before.getProperty(name, "0"));
    }

    private static Failure failure(Callable call) {
        long start = System.nanoTime();
        try {
            call.call();
            return new Failure(null, Figures.millisSince(start));
        }
        catch (ExecutionException ex) {
            return new Failure(ex.getCause(), Figures.millisSince(start));
        }
        catch (Exception ex) {
            return new Failure(ex, Figures.millisSince(start));
        }
    }

    /** A call expected to fail. */
    @FunctionalInterface
    private interface Callable {

        Object call() throws Exception;
    }

    /** What a call threw, and after how long. */
    record Failure(Throwable thrown, long millis) {

        @Override
        public String toString() {
            return ((this.thrown != null) ? this.thrown.getClass().getSimpleName() : "no failure") + " after "
                    + this.millis + " ms";
        }
    }
}
