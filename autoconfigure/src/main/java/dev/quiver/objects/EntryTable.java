package dev.quiver.objects;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.jspecify.annotations.Nullable;

/**
 * The hash table behind an {@link ArrowCache}: open addressing with linear probing over an array of the cache's own
 * entries, read without locks by any thread, written by one thread at a time.
 * <p>
 * A hit costs one probe of the array and the entry it finds, the same dependent loads as a
 * {@link java.util.concurrent.ConcurrentHashMap} node, where a map of entries would add the entry behind the node.
 * The writers' single lock (the cache's write lock) is what makes that affordable: a removal leaves a tombstone
 * instead of moving later entries, so an entry never changes slot within an array, and a reader racing any write
 * still finds every key that was present throughout its probe. Growing or sweeping tombstones builds a new array and
 * publishes it; the old one is never written again, so a reader still walking it sees a consistent earlier state.
 */
final class EntryTable<K, V> {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    /** Marks a removed entry's slot; lookups compare it by identity before they look at its key. */
    private static final CacheEntry<Object, Object> TOMBSTONE = new CacheEntry<>(new Object(), new Object(), 0, 0);

    /** 2^32 divided by the golden ratio: multiplying by it spreads even consecutive hash codes over the table. */
    private static final int GOLDEN = 0x9E3779B9;

    private static final int MIN_CAPACITY = 16;
    private static final int MAX_CAPACITY = 1 << 30;

    private final int initialCapacity;

    /** Slots hold entries, {@link #TOMBSTONE} or null; at most half are non-null, so every probe ends at a null. */
    private volatile Object[] slots;
    /** Live entries; written under the writers' lock, read by {@link #size()} from any thread. */
    private volatile int size;
    /** Slots that are not null (entries and tombstones); writers only. */
    private int used;

    /**
     * Creates an empty table sized for {@code expectedEntries} without growing.
     *
     * @param expectedEntries how many entries the table should hold before its first resize
     */
    EntryTable(int expectedEntries) {
        this.initialCapacity = capacityFor(expectedEntries);
        this.slots = new Object[initialCapacity];
    }

    /**
     * Returns the hash a table uses for a key: the key's hash code times {@link #GOLDEN}, whose high bits pick the
     * slot (Fibonacci hashing). Linear probing needs that: with the low bits of the hash code itself, keys with
     * consecutive hash codes (small integers, say) would fill runs of adjacent slots, and every key whose home slot
     * fell inside a run would probe to its end.
     *
     * @param hashCode the key's {@link Object#hashCode()}
     * @return the mixed hash
     */
    static int mix(int hashCode) {
        return hashCode * GOLDEN;
    }

    /** The home slot of {@code hash} in a table of {@code length} slots, a power of two: the hash's top bits. */
    private static int home(int hash, int length) {
        return hash >>> (Integer.numberOfLeadingZeros(length) + 1);
    }

    /**
     * Returns the entry of {@code key}, live or expired; safe from any thread without a lock.
     *
     * @param key the key, not null
     * @return the entry, or null if there is none
     */
    @SuppressWarnings("unchecked")
    @Nullable CacheEntry<K, V> get(Object key) {
        int hash = mix(key.hashCode());
        Object[] table = slots;
        int mask = table.length - 1;
        for (int index = home(hash, table.length);; index = (index + 1) & mask) {
            CacheEntry<K, V> entry = (CacheEntry<K, V>) SLOT.getAcquire(table, index);
            if (entry == null) {
                return null;
            }
            if (entry.hash == hash && entry != TOMBSTONE && (entry.key == key || key.equals(entry.key))) {
                return entry;
            }
        }
    }

    /**
     * Stores an entry, replacing the entry of the same key; the caller holds the writers' lock.
     *
     * @param entry the new entry
     * @return the entry it replaced, or null
     */
    @SuppressWarnings("unchecked")
    @Nullable CacheEntry<K, V> put(CacheEntry<K, V> entry) {
        Object[] table = slots;
        int mask = table.length - 1;
        int freeSlot = -1;
        int index = home(entry.hash, table.length);
        for (;; index = (index + 1) & mask) {
            Object held = table[index];
            if (held == null) {
                break;
            }
            if (held == TOMBSTONE) {
                if (freeSlot < 0) {
                    freeSlot = index;
                }
                continue;
            }
            CacheEntry<K, V> current = (CacheEntry<K, V>) held;
            if (current.hash == entry.hash && (current.key == entry.key || entry.key.equals(current.key))) {
                SLOT.setRelease(table, index, entry);
                return current;
            }
        }
        if (freeSlot >= 0) {
            SLOT.setRelease(table, freeSlot, entry);
        } else {
            SLOT.setRelease(table, index, entry);
            used++;
        }
        size = size + 1;
        if (used > table.length >>> 1) {
            resize(table);
        }
        return null;
    }

    /**
     * Removes the entry of {@code key}; the caller holds the writers' lock.
     *
     * @param key the key
     * @return the removed entry, or null if there was none
     */
    @Nullable CacheEntry<K, V> removeKey(Object key) {
        CacheEntry<K, V> entry = get(key);
        if (entry != null) {
            remove(entry);
        }
        return entry;
    }

    /**
     * Removes {@code entry} if the table holds that very entry; the caller holds the writers' lock.
     *
     * @param entry the entry
     * @return whether it was held and is now removed
     */
    boolean remove(CacheEntry<K, V> entry) {
        Object[] table = slots;
        int mask = table.length - 1;
        for (int index = home(entry.hash, table.length);; index = (index + 1) & mask) {
            Object held = table[index];
            if (held == null) {
                return false;
            }
            if (held == entry) {
                SLOT.setRelease(table, index, TOMBSTONE);
                size = size - 1;
                return true;
            }
        }
    }

    /** Removes every entry; the caller holds the writers' lock. */
    void clear() {
        slots = new Object[initialCapacity];
        used = 0;
        size = 0;
    }

    /**
     * Returns the number of entries held.
     *
     * @return the count, as of the last completed write
     */
    int size() {
        return size;
    }

    /** Rebuilds the table without tombstones, twice as large if live entries fill a quarter of it or more. */
    @SuppressWarnings("unchecked")
    private void resize(Object[] table) {
        int live = size;
        int capacity = live >= table.length >>> 2 && table.length < MAX_CAPACITY ? table.length << 1 : table.length;
        Object[] rebuilt = new Object[capacity];
        int mask = capacity - 1;
        for (Object held : table) {
            if (held != null && held != TOMBSTONE) {
                int index = home(((CacheEntry<K, V>) held).hash, capacity);
                while (rebuilt[index] != null) {
                    index = (index + 1) & mask;
                }
                rebuilt[index] = held;
            }
        }
        used = live;
        slots = rebuilt;
    }

    private static int capacityFor(int expectedEntries) {
        int wanted = (int) Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, 2L * expectedEntries + 1));
        return Integer.highestOneBit(wanted - 1) << 1;
    }
}
