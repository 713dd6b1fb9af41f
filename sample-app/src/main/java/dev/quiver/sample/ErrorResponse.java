package dev.quiver.sample;

/**
 * The JSON body of an error answer.
 *
 * @param error a stable code for programs, e.g. {@code redis_unavailable}
 * @param message what went wrong, for people
 */
public record ErrorResponse(String error, String message) {
}
