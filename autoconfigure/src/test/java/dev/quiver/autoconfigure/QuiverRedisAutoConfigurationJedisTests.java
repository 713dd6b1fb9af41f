package dev.quiver.autoconfigure;


import dev.quiver.dicts.MultiDefaultDict;
import dev.quiver.dicts.RedisDefaultDict;
import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;
import dev.quiver.locks.SealLock;
import dev.quiver.objects.ArrowCache;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for Quiver in an application that talks to Redis through Jedis, Spring Boot's alternative to Lettuce, against
 * a real Redis.
 */
@RedisTest
@ExtendWith(OutputCaptureExtension.class)
class QuiverRedisAutoConfigurationJedisTests {

    private static final String SKIPPED = "Quiver skipped the RedisLocks bean 'redisLocks'";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, JacksonAutoConfiguration.class,
                QuiverAutoConfiguration.class, QuiverRedisAutoConfiguration.class));

    @Test
    void onJedisTheLocalBeansAndRedisDictsWorkAndOneLineSaysWhatWasSkipped(RedisEndpoint redis,
            CapturedOutput output) {
        jedis(redis)
            .withPropertyValues("quiver.caches.names=players", "quiver.seal-locks.names=rebuild",
                    "quiver.dicts.instances.greetings.store=local",
                    "quiver.dicts.instances.greetings.value-type=java.lang.String",
                    "quiver.dicts.instances.scores.value-type=java.lang.Long")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(RedisLocks.class).doesNotHaveBean(RedisLock.class);
                @SuppressWarnings("unchecked")
                ArrowCache<String, String> players = context.getBean("players", ArrowCache.class);
                players.set("ann", "Ann");
                assertThat(players.get("ann")).isEqualTo("Ann");
                try (Permit permit = context.getBean("rebuild", SealLock.class).acquire().join()) {
                    assertThat(context.getBean("rebuild", SealLock.class).isLocked()).isTrue();
                }
                @SuppressWarnings("unchecked")
                MultiDefaultDict<String, String> greetings = context.getBean("greetings", MultiDefaultDict.class);
                greetings.set("ann", "hello");
                assertThat(greetings.get("ann")).isEqualTo("hello");
                @SuppressWarnings("unchecked")
                RedisDefaultDict<Long> scores = context.getBean("scores", RedisDefaultDict.class);
                scores.set("ann", 12L);
                assertThat(scores.get("ann")).isEqualTo(12L);
                assertThat(context.getBean(StringRedisTemplate.class).opsForValue().get("scores:ann")).isEqualTo("12");
                assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> scores.aget("ann"))
                    .withMessageContaining("ReactiveRedisConnectionFactory");
            });
        assertThat(output.getOut().split(SKIPPED, -1)).hasSize(2);
        assertThat(output).contains(SKIPPED + ": a RedisLock needs Lettuce's LettuceConnectionFactory, and this "
                + "application's RedisConnectionFactory is JedisConnectionFactory 'redisConnectionFactory'");
    }

    @Test
    void withoutLettuceOnTheClassPathTheApplicationStartsWithoutTheLocks(RedisEndpoint redis, CapturedOutput output) {
        jedis(redis).withClassLoader(new FilteredClassLoader("io.lettuce"))
            .withPropertyValues("quiver.caches.names=players")
            .run((context) -> {
                assertThat(context).hasNotFailed().hasBean("players").doesNotHaveBean(RedisLocks.class);
                assertThat(output).contains(SKIPPED);
            });
    }

    @Test
    void aRedisLockNamedOnJedisStopsStartUpNamingTheFix(RedisEndpoint redis) {
        jedis(redis).withPropertyValues("quiver.redis-locks.names=report,nightly").run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new QuiverFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("quiver.redis-locks.names", "[report, nightly]",
                    "JedisConnectionFactory 'redisConnectionFactory'");
            assertThat(analysis.getAction()).contains("Update the property 'quiver.redis-locks.names'",
                    "connect to Redis with Lettuce", "quiver.seal-locks");
        });
    }

    @Test
    void aRedisLockInstanceOnJedisStopsStartUpToo(RedisEndpoint redis) {
        jedis(redis).withPropertyValues("quiver.redis-locks.instances.report.timeout=30s").run((context) -> {
            FailureAnalysis analysis = new QuiverFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("quiver.redis-locks.instances", "[report]");
        });
    }

    @Test
    void aLettuceFactoryDeclaredOnlyAsRedisConnectionFactoryIsNamedInTheFix(RedisEndpoint redis,
            CapturedOutput output) {
        this.contextRunner.withBean("redisConnectionFactory", RedisConnectionFactory.class, redis::newConnectionFactory)
            .run((context) -> {
                assertThat(context).hasNotFailed().doesNotHaveBean(RedisLocks.class);
                assertThat(output).contains(SKIPPED, "LettuceConnectionFactory 'redisConnectionFactory'",
                        "declare LettuceConnectionFactory as the return type of the @Bean method of "
                                + "'redisConnectionFactory'");
            });
        this.contextRunner.withBean("redisConnectionFactory", RedisConnectionFactory.class, redis::newConnectionFactory)
            .withPropertyValues("quiver.redis-locks.names=report")
            .run((context) -> assertThat(new QuiverFailureAnalyzer().analyze(context.getStartupFailure()).getAction())
                .contains("declare LettuceConnectionFactory as the return type"));
    }

    @Test
    void onLettuceNothingIsSkippedAndNothingIsSaid(RedisEndpoint redis, CapturedOutput output) {
        this.contextRunner.withPropertyValues("spring.data.redis.url=" + redis.url()).run((context) -> {
            assertThat(context).hasSingleBean(RedisLocks.class).doesNotHaveBean(SkippedLettuceBeans.class);
            assertThat(output).doesNotContain(SKIPPED);
        });
    }

    private ApplicationContextRunner jedis(RedisEndpoint redis) {
        return this.contextRunner.withBean("redisConnectionFactory", RedisConnectionFactory.class, () -> {
            RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration(redis.host(), redis.port());
            configuration.setDatabase(redis.database());
            if (redis.password() != null) {
                configuration.setPassword(redis.password());
            }
            return new JedisConnectionFactory(configuration);
        });
    }
}
