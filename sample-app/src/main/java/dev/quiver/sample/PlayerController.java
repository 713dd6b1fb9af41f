package dev.quiver.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.quiver.objects.ArrowCache;
import dev.quiver.objects.CloneGenerator;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Player profiles and matches, read through ArrowCaches in front of the slow stats provider: the first read of a
 * player waits for the provider, later reads are answered from memory, and concurrent first reads share one call.
 */
@RestController
public class PlayerController {

    private final ArrowCache<String, PlayerProfile> profiles;

    private final ArrowCache<String, List<Match>> matches;

    private final StatsProvider statsProvider;

    /**
     * Creates the controller.
     *
     * @param profiles the {@code profiles} cache ({@code quiver.caches.instances.profiles})
     * @param matches the {@code matches} cache ({@code quiver.caches.instances.matches})
     * @param statsProvider the simulated upstream
     */
    public PlayerController(@Qualifier("profiles") ArrowCache<String, PlayerProfile> profiles,
            @Qualifier("matches") ArrowCache<String, List<Match>> matches, StatsProvider statsProvider) {
        this.profiles = profiles;
        this.matches = matches;
        this.statsProvider = statsProvider;
    }

    /**
     * {@code GET /players/{id}}: the profile, through the cache with a synchronous loader.
     *
     * @param id the player's id
     * @return the profile
     */
    @GetMapping("/players/{id}")
    public PlayerProfile profile(@PathVariable String id) {
        return this.profiles.get(id, this.statsProvider::profile);
    }

    /**
     * {@code GET /players/{id}/matches}: the last matches, through the cache with an asynchronous loader, so no
     * request thread waits for the provider.
     *
     * @param id the player's id
     * @return a future of the cached matches themselves (Jackson only reads them)
     */
    @GetMapping("/players/{id}/matches")
    public CompletableFuture<List<Match>> matches(@PathVariable String id) {
        return this.matches.aget(id, this.statsProvider::matches);
    }

    /**
     * {@code GET /players/{id}/history}: the last matches with a summary line each. The summaries are written on
     * copies made by a {@link CloneGenerator}; writing them on the cached matches would show them to every later
     * reader of {@code /players/{id}/matches}.
     *
     * @param id the player's id
     * @return a future of copies of the matches, each with its summary
     */
    @GetMapping("/players/{id}/history")
    public CompletableFuture<List<Match>> history(@PathVariable String id) {
        return matches(id).thenApply((cached) -> {
            List<Match> history = new ArrayList<>();
            for (Match match : new CloneGenerator<>(cached)) {
                match.setSummary((match.isWon() ? "won" : "lost") + " against " + match.getOpponent() + ", "
                        + match.getKills() + "/" + match.getDeaths());
                history.add(match);
            }
            return history;
        });
    }
}
