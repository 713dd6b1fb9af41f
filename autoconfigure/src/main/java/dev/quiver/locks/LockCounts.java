package dev.quiver.locks;

/**
 * How many acquisitions of a lock factory's locks are under way at one moment.
 *
 * @param held acquisitions that hold their lock now (at most one per name)
 * @param waiting acquisitions that wait for their lock now
 */
public record LockCounts(long held, long waiting) {
}
