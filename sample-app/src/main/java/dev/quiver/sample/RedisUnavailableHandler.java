package dev.quiver.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import dev.quiver.locks.LockTimeoutException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Turns a Redis that cannot be reached into {@code 503 Service Unavailable} with a JSON body that says so, instead
 * of a stack trace: {@code {"error":"redis_unavailable","message":"Redis is unreachable at localhost:6379: ..."}}.
 * The endpoints that do not need Redis keep answering meanwhile.
 * <p>
 * Spring Data Redis reports a refused connection as {@link RedisConnectionFailureException} and a command timeout
 * as {@link QueryTimeoutException}; the async calls fail with Lettuce's own {@link RedisException}s, and a
 * {@link dev.quiver.locks.RedisLock} that could not reach Redis gives up with a {@link LockTimeoutException} whose
 * cause is the last Redis failure. Spring looks through {@code CompletionException}s to these causes.
 */
@RestControllerAdvice
public class RedisUnavailableHandler {

    /** A password in a {@code redis://user:password@host} URL. */
    private static final Pattern URL_CREDENTIALS = Pattern.compile("(rediss?://)[^@/\\s]*@");

    private final ObjectProvider<RedisConnectionFactory> connectionFactory;

    /**
     * Creates the handler.
     *
     * @param connectionFactory the app's Redis connections, to name where Redis was expected
     */
    public RedisUnavailableHandler(ObjectProvider<RedisConnectionFactory> connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /**
     * Answers a failed Redis call: 503 {@code redis_unavailable} when Redis could not be reached, 503
     * {@code lock_timeout} when a lock stayed busy for its whole blocking timeout, and 500 {@code redis_error} when
     * Redis answered with an error.
     *
     * @param failure the failure, or the cause Spring found it by
     * @return the error answer
     */
    @ExceptionHandler({ RedisConnectionFailureException.class, QueryTimeoutException.class,
            RedisSystemException.class, RedisException.class, LockTimeoutException.class })
    public ResponseEntity<ErrorResponse> redisFailure(Exception failure) {
        Throwable unreachable = redisUnreachable(failure);
        if (unreachable != null) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new ErrorResponse("redis_unavailable",
                        "Redis is unreachable at " + redisAddress() + ": " + describe(unreachable)));
        }
        if (failure instanceof LockTimeoutException timeout) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .body(new ErrorResponse("lock_timeout", scrub(timeout.getMessage()) + "; try again"));
        }
        return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
            .body(new ErrorResponse("redis_error", "Redis failed: " + describe(failure)));
    }

    /**
     * Finds, in the failure's cause chain, the failure that says Redis could not be reached, if any. An error reply
     * of the server (Lettuce's {@link RedisCommandExecutionException}) anywhere in the chain means Redis was reached.
     */
    private static @Nullable Throwable redisUnreachable(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = failure; cause != null && !chain.contains(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        if (chain.stream().anyMatch(RedisCommandExecutionException.class::isInstance)) {
            return null;
        }
        return chain.stream()
            .filter((cause) -> cause instanceof RedisConnectionFailureException
                    || cause instanceof QueryTimeoutException || cause instanceof RedisException)
            .findFirst()
            .orElse(null);
    }

    private String redisAddress() {
        RedisConnectionFactory factory = this.connectionFactory.getIfAvailable();
        if (factory instanceof LettuceConnectionFactory lettuce) {
            return lettuce.getHostName() + ":" + lettuce.getPort();
        }
        return "the configured address";
    }

    /** The message of the failure's root cause, which says what actually happened (refused, timed out...). */
    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return scrub((message != null) ? message : root.getClass().getSimpleName());
    }

    private static String scrub(@Nullable String message) {
        return URL_CREDENTIALS.matcher(String.valueOf(message)).replaceAll("$1***@");
    }
}
