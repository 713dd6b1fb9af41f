package dev.quiver.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EntryTableTest {

    /** A key whose hash code is chosen, so that tests can make keys collide. */
    record Key(String name, int hash) {

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && key.name.equals(name);
        }
    }

    private static CacheEntry<Key, String> entry(Key key, String value) {
        return new CacheEntry<>(key, value, Long.MAX_VALUE);
    }

    @Test
    void putReplacesTheEntryOfAnEqualKeyAndRemoveTakesItOut() {
        EntryTable<Key, String> table = new EntryTable<>(4);
        CacheEntry<Key, String> first = entry(new Key("a", 1), "one");
        CacheEntry<Key, String> second = entry(new Key("a", 1), "uno");

        assertThat(table.put(first)).isNull();
        assertThat(table.put(second)).isSameAs(first);
        assertThat(table.get(new Key("a", 1))).isSameAs(second);
        assertThat(table.size()).isEqualTo(1);

        assertThat(table.remove(first)).as("an entry no longer held").isFalse();
        assertThat(table.removeKey(new Key("a", 1))).isSameAs(second);
        assertThat(table.get(new Key("a", 1))).isNull();
        assertThat(table.removeKey(new Key("a", 1))).isNull();
        assertThat(table.size()).isZero();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void collidingKeysStayReachableWhenOnesBeforeThemInTheProbeAreRemoved() {
        EntryTable<Key, String> table = new EntryTable<>(8);
        for (int i = 0; i < 6; i++) {
            table.put(entry(new Key("k" + i, 7), "v" + i));
        }
        table.removeKey(new Key("k0", 7));
        table.removeKey(new Key("k2", 7));

        for (int i : new int[] { 1, 3, 4, 5 }) {
            assertThat(table.get(new Key("k" + i, 7))).extracting(found -> found.value).isEqualTo("v" + i);
        }
        assertThat(table.get(new Key("k0", 7))).isNull();
        table.put(entry(new Key("k6", 7), "v6"));
        assertThat(table.get(new Key("k6", 7))).extracting(found -> found.value).isEqualTo("v6");
        assertThat(table.get(new Key("k5", 7))).extracting(found -> found.value).isEqualTo("v5");
        assertThat(table.size()).isEqualTo(5);
    }

    @Test
    void growsFarPastItsInitialCapacity() {
        EntryTable<Integer, Integer> table = new EntryTable<>(1);
        for (int i = 0; i < 100_000; i++) {
            table.put(new CacheEntry<>(i, i, Long.MAX_VALUE));
        }

        assertThat(table.size()).isEqualTo(100_000);
        for (int i = 0; i < 100_000; i++) {
            assertThat(table.get(i)).extracting(found -> found.value).isEqualTo(i);
        }
        assertThat(table.get(100_000)).isNull();
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void endlessAddAndRemoveLeavesNoProbeWithoutAnEnd() {
        EntryTable<Integer, Integer> table = new EntryTable<>(16);
        for (int i = 0; i < 1_000_000; i++) {
            table.put(new CacheEntry<>(i, i, Long.MAX_VALUE));
            if (i >= 10) {
                table.removeKey(i - 10);
            }
        }

        assertThat(table.size()).isEqualTo(10);
        assertThat(table.get(-1)).as("a miss must end at an empty slot").isNull();
        for (int i = 999_990; i < 1_000_000; i++) {
            assertThat(table.get(i)).extracting(found -> found.value).isEqualTo(i);
        }
    }

    @Test
    void clearEmptiesTheTableAndItFillsAgain() {
        EntryTable<Integer, Integer> table = new EntryTable<>(4);
        for (int i = 0; i < 100; i++) {
            table.put(new CacheEntry<>(i, i, Long.MAX_VALUE));
        }
        table.clear();

        assertThat(table.size()).isZero();
        assertThat(table.get(5)).isNull();
        table.put(new CacheEntry<>(5, 50, Long.MAX_VALUE));
        assertThat(table.get(5)).extracting(found -> found.value).isEqualTo(50);
    }

    /**
     * Readers look up keys that are present throughout while one writer (holding the table the way the cache's
     * write lock does) replaces their entries, and adds and removes other keys enough to sweep tombstones and grow
     * the table many times. No lookup of a present key may miss, nor return another key's entry.
     */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void readersNeverMissAKeyPresentThroughoutWhileOneWriterChurns() throws InterruptedException {
        EntryTable<Key, String> table = new EntryTable<>(16);
        int stableKeys = 64;
        // churn keys first, so that their removals leave tombstones in front of the stable keys in the probes
        for (int round = -200; round < 0; round++) {
            table.put(entry(new Key("churn" + round, Math.floorMod(round, 8)), "churn"));
        }
        for (int i = 0; i < stableKeys; i++) {
            table.put(entry(new Key("stable" + i, i % 8), "stable" + i));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<String> failure = new AtomicReference<>();
        AtomicLong lookups = new AtomicLong();
        Runnable reader = () -> {
            long count = 0;
            while (writing.get() && failure.get() == null) {
                for (int i = 0; i < stableKeys; i++) {
                    CacheEntry<Key, String> found = table.get(new Key("stable" + i, i % 8));
                    if (found == null || !found.value.equals("stable" + i)) {
                        failure.compareAndSet(null, "stable" + i + " read as " + (found == null ? null : found.value));
                    }
                    count++;
                }
            }
            lookups.addAndGet(count);
        };
        Thread[] readers = { new Thread(reader), new Thread(reader) };
        for (Thread thread : readers) {
            thread.start();
        }

        for (int round = 0; round < 200_000 && failure.get() == null; round++) {
            // churn keys share the stable keys' hashes, so tombstones and new entries land inside their probes
            table.put(entry(new Key("churn" + round, round % 8), "churn"));
            table.removeKey(new Key("churn" + (round - 200), Math.floorMod(round - 200, 8)));
            int stable = round % stableKeys;
            table.put(entry(new Key("stable" + stable, stable % 8), "stable" + stable));
        }
        writing.set(false);
        for (Thread thread : readers) {
            thread.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(lookups.get()).isPositive();
        assertThat(table.size()).isEqualTo(stableKeys + 200);
    }
}
