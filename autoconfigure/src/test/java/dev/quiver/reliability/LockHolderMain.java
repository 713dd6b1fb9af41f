package dev.quiver.reliability;

import java.time.Duration;

import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisEndpoint;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The holder of the holder-crash scenario: takes a {@link RedisLock} with the given key timeout, says
 * {@code ACQUIRED}, and then holds it until the test kills this process with SIGKILL, so that nothing releases it.
 * <p>
 * Arguments: redis URL, lock name, key timeout in milliseconds.
 */
public final class LockHolderMain {

    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisEndpoint endpoint = RedisEndpoint.parse(args[0]);
        LettuceConnectionFactory factory = endpoint.newConnectionFactory();
        RedisLock lock = RedisLock.builder(factory, args[1])
            .timeout(Duration.ofMillis(Long.parseLong(args[2])))
            .build();
        if (!lock.tryAcquire()) {
            System.out.println("BUSY");
            System.exit(1);
        }
        System.out.println("ACQUIRED");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
