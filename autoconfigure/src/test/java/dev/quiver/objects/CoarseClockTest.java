package dev.quiver.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Tests that the coarse clock's thread lives only while the clock is read, and that the clock tells the time
 * throughout.
 */
class CoarseClockTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @Test
    void noThreadTicksBeforeTheFirstRead() {
        CoarseClock clock = new CoarseClock(TimeUnit.MILLISECONDS.toNanos(10));

        assertThat(clock.isTicking()).isFalse();
    }

    @Test
    void theFirstReadStartsTheThreadAndReadsTheTimeItself() {
        CoarseClock clock = new CoarseClock(TimeUnit.SECONDS.toNanos(30));
        long before = System.nanoTime();

        long read = clock.read();

        assertThat(read).isGreaterThanOrEqualTo(before).isLessThanOrEqualTo(System.nanoTime());
        assertThat(clock.isTicking()).isTrue();
    }

    @Test
    void theThreadEndsOnceItsLeaseIsOverAndTheNextReadStartsAnother() {
        CoarseClock clock = new CoarseClock(TimeUnit.MILLISECONDS.toNanos(10));
        clock.read();

        await().atMost(PATIENCE).until(() -> !clock.isTicking());
        long before = System.nanoTime();
        long read = clock.read();

        assertThat(read).isGreaterThanOrEqualTo(before);
        assertThat(clock.isTicking()).isTrue();
    }

    @Test
    void theClockAdvancesWhileTheThreadTicks() {
        CoarseClock clock = new CoarseClock(TimeUnit.SECONDS.toNanos(30));
        long first = clock.read();

        await().atMost(PATIENCE).until(() -> clock.read() > first);
    }

    @Test
    void theSharedClockTellsTheTimeWithinTheLagOfATick() {
        long before = System.nanoTime();

        long read = CoarseClock.nanoTime();

        // the shared clock may have ticked just before this test began, never after the read
        assertThat(read).isLessThanOrEqualTo(System.nanoTime());
        assertThat(read).isGreaterThan(before - TimeUnit.SECONDS.toNanos(60));
    }
}
