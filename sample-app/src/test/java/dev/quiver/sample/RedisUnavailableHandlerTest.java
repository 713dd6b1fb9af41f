package dev.quiver.sample;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;

import dev.quiver.locks.LockTimeoutException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The failures Redis calls end with, as Spring Data Redis, Lettuce and RedisLock report them, and the answers they
 * get. (The tests over HTTP show Spring finding these failures inside {@code CompletionException}s.)
 */
class RedisUnavailableHandlerTest {

    private final RedisUnavailableHandler handler = new RedisUnavailableHandler(
            new StaticListableBeanFactory(Map.of("redisConnectionFactory",
                    new LettuceConnectionFactory(new RedisStandaloneConfiguration("localhost", 6390))))
                .getBeanProvider(RedisConnectionFactory.class));

    @Test
    void aLockThatGaveUpBecauseRedisWasUnreachableIsRedisUnavailable() {
        LockTimeoutException timeout = new LockTimeoutException("score:ann", Duration.ofSeconds(3));
        timeout.initCause(new RedisConnectionException("Unable to connect to localhost/<unresolved>:6390",
                new ConnectException("Connection refused")));

        assertAnswer(this.handler.redisFailure(timeout), 503, "redis_unavailable",
                "Redis is unreachable at localhost:6390: Connection refused");
    }

    @Test
    void aLockThatStayedBusyIsALockTimeout() {
        assertAnswer(this.handler.redisFailure(new LockTimeoutException("score:ann", Duration.ofSeconds(3))), 503,
                "lock_timeout", "Could not acquire lock 'score:ann' within PT3S; try again");
    }

    @Test
    void aCommandTimeoutIsRedisUnavailable() {
        QueryTimeoutException timeout = new QueryTimeoutException("Redis command timed out",
                new RedisCommandTimeoutException("Command timed out after 500 millisecond(s)"));

        assertAnswer(this.handler.redisFailure(timeout), 503, "redis_unavailable",
                "Redis is unreachable at localhost:6390: Command timed out after 500 millisecond(s)");
    }

    @Test
    void anErrorReplyOfRedisIsNotRedisUnavailable() {
        RedisSystemException failure = new RedisSystemException("Error in execution",
                new RedisCommandExecutionException("WRONGTYPE Operation against a key holding the wrong kind"));

        assertAnswer(this.handler.redisFailure(failure), 500, "redis_error",
                "Redis failed: WRONGTYPE Operation against a key holding the wrong kind");
    }

    @Test
    void aPasswordInAFailureMessageIsNotRepeated() {
        RedisConnectionFailureException failure = new RedisConnectionFailureException(
                "Unable to connect to redis://:hunter2@localhost:6390");

        ResponseEntity<ErrorResponse> answer = this.handler.redisFailure(failure);

        assertThat(answer.getBody().message()).doesNotContain("hunter2")
            .endsWith("Unable to connect to redis://***@localhost:6390");
    }

    private static void assertAnswer(ResponseEntity<ErrorResponse> answer, int status, String error,
            String message) {
        assertThat(answer.getStatusCode().value()).isEqualTo(status);
        assertThat(answer.getBody()).isEqualTo(new ErrorResponse(error, message));
    }
}
