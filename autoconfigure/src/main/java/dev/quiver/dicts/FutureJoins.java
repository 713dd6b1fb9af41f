package dev.quiver.dicts;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Waits for a future on behalf of a blocking call, so that the caller sees the failure the work itself raised
 * rather than the {@link CompletionException} that wraps it.
 */
final class FutureJoins {

    private FutureJoins() {
    }

    /**
     * Waits for {@code future} and returns its value, rethrowing an unchecked failure as it was raised.
     */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        }
        catch (CompletionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw ex;
        }
    }
}
