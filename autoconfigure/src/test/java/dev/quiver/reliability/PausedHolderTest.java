package dev.quiver.reliability;

import java.time.Duration;
import java.util.List;

import dev.quiver.locks.Permit;
import dev.quiver.locks.RedisLock;
import dev.quiver.testsupport.Pause;
import dev.quiver.testsupport.RedisEndpoint;
import dev.quiver.testsupport.RedisTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A holder's JVM paused with SIGSTOP for longer than the lock's timeout, while it renews its lease and writes to a
 * fenced register: the lock passes to another holder once the key expires, and when the paused holder wakes, its
 * {@code lost()} fires and the register refuses its stale writes, so the writes never go backwards.
 */
@Tag("faults")
@RedisTest
class PausedHolderTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1000);

    @Test
    void aHolderPausedPastItsLeaseLearnsItLostTheLockAndItsStaleWritesAreRefused(RedisEndpoint endpoint)
            throws Exception {
        LettuceConnectionFactory factory = endpoint.newConnectionFactory();
        try (ChildJvm holder = ChildJvm.start(PausedHolderMain.class, endpoint.url(), "paused",
                String.valueOf(TIMEOUT.toMillis()), "register")) {
            StringRedisTemplate redis = new StringRedisTemplate(factory);
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.output().contains("WRITTEN"));
            RedisLock next = RedisLock.builder(factory, "paused").blockingTimeout(Duration.ofSeconds(10)).build();

            signal(holder, "STOP");
            Permit taken;
            try {
                // the paused holder cannot renew: its key expires within the timeout, and the next holder gets in
                taken = next.acquire().join();
                Long written = redis.execute(PausedHolderMain.FENCED_WRITE, List.of("register"),
                        String.valueOf(taken.fencingToken()));
                assertThat(written).isEqualTo(1L);
                Pause.of(TIMEOUT);
            }
            finally {
                signal(holder, "CONT");
            }
            await().atMost(Duration.ofSeconds(10))
                .until(() -> holder.output().contains("LOST") && holder.output().contains("REFUSED"));
            assertThat(redis.opsForValue().get("register")).as("the register after the stale holder woke")
                .isEqualTo(String.valueOf(taken.fencingToken()));
            assertThat(next.isOwned()).isTrue();
            long stale = Long.parseLong(holder.output().lines()
                .filter((line) -> line.startsWith("ACQUIRED "))
                .findFirst()
                .orElseThrow()
                .substring("ACQUIRED ".length()));
            assertThat(taken.fencingToken()).isGreaterThan(stale);
            taken.close();
            Figures.report(10, "holder JVM paused with SIGSTOP past its %d ms lease: the next holder got the lock "
                    + "(fencing token %d > %d), the paused holder heard lost() on waking and its writes were refused",
                    TIMEOUT.toMillis(), taken.fencingToken(), stale);
        }
        finally {
            factory.destroy();
        }
    }

    private static void signal(ChildJvm holder, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(holder.process().pid())).start();
        assertThat(kill.waitFor()).isZero();
    }
}
