package dev.quiver.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that talks to a real Redis. Test methods and constructors may take a {@link RedisEndpoint}
 * (the shared Redis of {@link SharedRedis}, emptied before every test), a started
 * {@code LettuceConnectionFactory} on it (destroyed after the test), and a {@link RedisServers} (throw-away servers
 * of the test's own, killed after it).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(RedisExtension.class)
public @interface RedisTest {
}
