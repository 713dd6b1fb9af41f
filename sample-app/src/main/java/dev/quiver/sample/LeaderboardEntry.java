package dev.quiver.sample;

/**
 * One line of the leaderboard.
 *
 * @param rank the position, from 1 for the highest score
 * @param player the player's id
 * @param score the player's score
 */
public record LeaderboardEntry(int rank, String player, long score) {
}
