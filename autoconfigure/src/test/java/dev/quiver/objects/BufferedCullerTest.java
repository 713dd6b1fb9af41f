package dev.quiver.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.quiver.testsupport.Pause;

/**
 * Tests of how far past its bound a cache may grow while the thread culling for it is held up.
 */
@Timeout(30)
class BufferedCullerTest {

    private static final int MAX_ENTRIES = 100;
    private static final long FAR_FUTURE = Long.MAX_VALUE >> 1;

    private final ConcurrentHashMap<String, CacheEntry<String, Object>> entries = new ConcurrentHashMap<>();
    private final CountDownLatch cullerStuck = new CountDownLatch(1);
    private final CountDownLatch releaseCuller = new CountDownLatch(1);
    private final BufferedCuller<String, Object> culler = new BufferedCuller<>(entries, MAX_ENTRIES, () -> 0L,
            this::stallOnFirstEviction);

    private void stallOnFirstEviction() {
        if (cullerStuck.getCount() > 0) {
            cullerStuck.countDown();
            try {
                releaseCuller.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean isParkedOnALock(Thread writer) {
        return writer.getState() == Thread.State.WAITING
                && LockSupport.getBlocker(writer) instanceof AbstractQueuedSynchronizer;
    }

    /** Adds a new key the way {@link ArrowCache#set} does. */
    private void add(String key) {
        add(entries, culler, key);
    }

    private static void add(ConcurrentHashMap<String, CacheEntry<String, Object>> map,
            BufferedCuller<String, Object> mapCuller, String key) {
        CacheEntry<String, Object> entry = new CacheEntry<>(key, key, FAR_FUTURE);
        assertThat(map.putIfAbsent(key, entry)).isNull();
        mapCuller.record(entry);
    }

    @Test
    void theRecordsAllowedToWaitForABusyLockAreAnEighthOfTheBoundFrom16To256() {
        assertThat(BufferedCuller.slackFor(1)).isEqualTo(16);
        assertThat(BufferedCuller.slackFor(MAX_ENTRIES)).isEqualTo(16);
        assertThat(BufferedCuller.slackFor(2000)).isEqualTo(250);
        assertThat(BufferedCuller.slackFor(Integer.MAX_VALUE)).isEqualTo(BufferedCuller.MAX_SLACK);
    }

    @Test
    void batchesGrowWithTheBoundFromOneRecordBelow128EntriesToSixteenFrom1024() {
        assertThat(BufferedCuller.batchFor(1)).isEqualTo(1);
        assertThat(BufferedCuller.batchFor(127)).isEqualTo(1);
        assertThat(BufferedCuller.batchFor(128)).isEqualTo(2);
        assertThat(BufferedCuller.batchFor(1023)).isEqualTo(8);
        assertThat(BufferedCuller.batchFor(1024)).isEqualTo(16);
        assertThat(BufferedCuller.batchFor(Integer.MAX_VALUE)).isEqualTo(BufferedCuller.MAX_BATCH);
    }

    @Test
    void theLastRecordsOfABatchWaitForTheWriteThatCompletesItOrForASettle() {
        int bound = 1024;
        int batch = BufferedCuller.batchFor(bound);
        ConcurrentHashMap<String, CacheEntry<String, Object>> map = new ConcurrentHashMap<>();
        BufferedCuller<String, Object> batched = new BufferedCuller<>(map, bound, () -> 0L, () -> { });
        for (int i = 0; i < bound + batch; i++) {
            add(map, batched, "first-" + i);
        }
        assertThat(map.size()).as("after whole batches").isEqualTo(bound);

        for (int i = 0; i < batch - 1; i++) {
            add(map, batched, "left-for-later-" + i);
        }
        assertThat(map.size()).as("a batch less one record later").isEqualTo(bound + batch - 1);
        batched.settle();
        assertThat(map.size()).as("after settling").isEqualTo(bound);
        assertThat(map.values()).allMatch(CacheEntry::isTracked);

        for (int i = 0; i < batch - 1; i++) {
            add(map, batched, "second-" + i);
        }
        add(map, batched, "completes-the-batch");
        assertThat(map.size()).as("after the write that completes a batch").isEqualTo(bound);
        assertThat(map.values()).allMatch(CacheEntry::isTracked);
    }

    @Test
    void aBatchAddedWhileASettleHoldsTheLockIsReplayedBeforeTheWriterOrTheSettleReturns() throws Exception {
        int bound = 1024;
        int batch = BufferedCuller.batchFor(bound);
        ConcurrentHashMap<String, CacheEntry<String, Object>> map = new ConcurrentHashMap<>();
        CountDownLatch settleStuck = new CountDownLatch(1);
        CountDownLatch releaseSettle = new CountDownLatch(1);
        BufferedCuller<String, Object> batched = new BufferedCuller<>(map, bound, () -> 0L, () -> {
            settleStuck.countDown();
            try {
                releaseSettle.await();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        });
        for (int i = 0; i < bound; i++) {
            add(map, batched, "resident-" + i);
        }
        add(map, batched, "one-too-many");
        Thread settling = new Thread(batched::settle);
        settling.start();
        assertThat(settleStuck.await(10, TimeUnit.SECONDS)).isTrue();

        // the lock is taken, and a batch is far from enough records to make this writer wait: it goes on
        for (int i = 0; i < batch; i++) {
            add(map, batched, "while-settling-" + i);
        }
        assertThat(map.size()).isEqualTo(bound + batch);
        releaseSettle.countDown();
        settling.join();

        assertThat(map.size()).as("after the settle returned").isEqualTo(bound);
        assertThat(map.values()).allMatch(CacheEntry::isTracked);
    }

    @Test
    void writersWaitForTheCullOnceSlackRecordsWaitForIt() throws Exception {
        for (int i = 0; i < MAX_ENTRIES; i++) {
            add("resident-" + i);
        }
        Thread stalledCuller = new Thread(() -> add("one-too-many"));
        stalledCuller.start();
        assertThat(cullerStuck.await(10, TimeUnit.SECONDS)).isTrue();

        int writerCount = 4;
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < writerCount; w++) {
            String prefix = "writer-" + w + "-";
            Thread writer = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    add(prefix + i);
                }
            });
            writers.add(writer);
            writer.start();
        }
        // every writer ends up parked on the culler's lock, each with one entry of its own in the map
        while (!writers.stream().allMatch(BufferedCullerTest::isParkedOnALock)) {
            // sleep rather than spin: on two cores a spinning test thread would keep the writers from running
            Pause.millis(1);
        }
        int slack = BufferedCuller.slackFor(MAX_ENTRIES);
        assertThat(entries.size()).isBetween(MAX_ENTRIES + slack + 1, MAX_ENTRIES + 1 + slack + writerCount);

        releaseCuller.countDown();
        stalledCuller.join();
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(entries.size()).isEqualTo(MAX_ENTRIES);
        assertThat(entries.values()).allMatch(CacheEntry::isTracked);
    }
}
