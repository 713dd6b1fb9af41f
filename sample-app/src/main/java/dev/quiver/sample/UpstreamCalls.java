package dev.quiver.sample;

/**
 * How often the app has called the stats provider.
 *
 * @param calls the calls since the app started
 */
public record UpstreamCalls(int calls) {
}
