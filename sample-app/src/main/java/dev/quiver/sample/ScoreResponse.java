package dev.quiver.sample;

/**
 * The answer to a score update.
 *
 * @param player the player's id
 * @param delta the points added (negative to take points away)
 * @param score the player's score after the update
 */
public record ScoreResponse(String player, long delta, long score) {
}
