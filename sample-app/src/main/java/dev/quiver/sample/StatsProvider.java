package dev.quiver.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The upstream stats provider, simulated in-process: every call takes {@code sample.upstream.delay} (200 ms unless
 * set) and is counted, so the caches in front of it show what they save. The data is fake but deterministic: the
 * same player id always gives the same profile and matches.
 */
@Component
public class StatsProvider {

    private static final String[] REGIONS = { "eu-west", "us-east", "ap-south" };

    private static final String[] OPPONENTS = { "kai", "mia", "noor", "omar", "lena", "yuki", "sam", "ivo" };

    private final Duration delay;

    private final Executor delayed;

    private final AtomicInteger calls = new AtomicInteger();

    /**
     * Creates the provider.
     *
     * @param delay how long each call takes
     */
    public StatsProvider(@Value("${sample.upstream.delay:200ms}") Duration delay) {
        this.delay = delay;
        this.delayed = CompletableFuture.delayedExecutor(delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Fetches a player's profile, blocking the caller for the provider's delay.
     *
     * @param playerId the player's id
     * @return the profile
     */
    public PlayerProfile profile(String playerId) {
        this.calls.incrementAndGet();
        sleep(this.delay);
        Random random = random(playerId);
        return new PlayerProfile(playerId, capitalize(playerId), REGIONS[random.nextInt(REGIONS.length)],
                1 + random.nextInt(60));
    }

    /**
     * Starts fetching a player's last three matches, without blocking the caller.
     *
     * @param playerId the player's id
     * @return a future that completes with the matches after the provider's delay
     */
    public CompletableFuture<List<Match>> matches(String playerId) {
        this.calls.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> {
            Random random = random(playerId);
            List<Match> matches = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String opponent = OPPONENTS[random.nextInt(OPPONENTS.length)];
                matches.add(new Match(playerId + "-m" + i, opponent, random.nextBoolean(), random.nextInt(20),
                        random.nextInt(15)));
            }
            return List.copyOf(matches);
        }, this.delayed);
    }

    /**
     * Returns how often the provider has been called since the app started.
     *
     * @return the number of calls
     */
    public int calls() {
        return this.calls.get();
    }

    private static Random random(String playerId) {
        return new Random(playerId.hashCode());
    }

    private static String capitalize(String playerId) {
        return playerId.isEmpty() ? playerId : Character.toUpperCase(playerId.charAt(0)) + playerId.substring(1);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling the stats provider", ex);
        }
    }
}
