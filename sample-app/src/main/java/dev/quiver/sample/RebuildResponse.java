package dev.quiver.sample;

/**
 * The answer to an index rebuild.
 *
 * @param rebuild the number of this rebuild since the app started, from 1
 * @param waitedMs how long the request queued behind other rebuilds, in milliseconds
 * @param tookMs how long the rebuild itself took, in milliseconds
 */
public record RebuildResponse(long rebuild, long waitedMs, long tookMs) {
}
