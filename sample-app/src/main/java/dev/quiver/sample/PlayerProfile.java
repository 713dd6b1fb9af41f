package dev.quiver.sample;

/**
 * A player's profile as the stats provider returns it. Immutable, so the profiles cache can hand out the instance it
 * holds.
 *
 * @param id the player's id
 * @param name the display name
 * @param region the region the player plays in
 * @param level the player's level
 */
public record PlayerProfile(String id, String name, String region, int level) {
}
