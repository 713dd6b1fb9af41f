package dev.quiver.reliability;

import java.time.Duration;
import java.util.List;

import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.RedisEndpoint;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The holder of the paused-holder scenario: takes a lease-renewed {@link RedisLock}, says {@code ACQUIRED <token>},
 * says {@code LOST} when its permit's {@code lost()} fires, and writes its fencing token to a fenced register in Redis
 * every 50 ms, saying {@code WRITTEN} or {@code REFUSED}, until the test kills it. The test pauses it with SIGSTOP for
 * longer than the lock's timeout in between.
 * <p>
 * Arguments: redis URL, lock name, key timeout in milliseconds, register key.
 */
public final class PausedHolderMain {

    /** Sets the register to the token unless it holds a larger one: 1 written, 0 refused. */
    static final RedisScript<Long> FENCED_WRITE = RedisScript.of("""
            local current = tonumber(redis.call('get', KEYS[1]) or '0')
            if current > tonumber(ARGV[1]) then
                return 0
            end
            redis.call('set', KEYS[1], ARGV[1])
            return 1
            """, Long.class);

    private PausedHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        RedisEndpoint endpoint = RedisEndpoint.parse(args[0]);
        LettuceConnectionFactory factory = endpoint.newConnectionFactory();
        StringRedisTemplate redis = new StringRedisTemplate(factory);
        RedisLock lock = RedisLock.builder(factory, args[1])
            .timeout(Duration.ofMillis(Long.parseLong(args[2])))
            .leaseRenewal(true)
            .build();
        Permit permit = lock.acquire().join();
        permit.lost().thenRun(() -> say("LOST"));
        say("ACQUIRED " + permit.fencingToken());
        while (true) {
            Long written = redis.execute(FENCED_WRITE, List.of(args[3]), String.valueOf(permit.fencingToken()));
            say((written != null && written == 1) ? "WRITTEN" : "REFUSED");
            Thread.sleep(50);
        }
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
