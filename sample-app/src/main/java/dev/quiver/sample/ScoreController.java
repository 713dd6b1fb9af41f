package dev.quiver.sample;

import java.util.concurrent.CompletableFuture;

import dev.quiver.dicts.DefaultDict;
import dev.quiver.locks.RedisLock;
import dev.quiver.locks.RedisLocks;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Score updates: a read-modify-write of the {@code scores} dict on Redis, under a {@link RedisLock} of the player,
 * so that concurrent updates (from this instance or any other instance of the app) never lose one another.
 */
@RestController
public class ScoreController {

    private final DefaultDict<String, Long> scores;

    private final RedisLocks locks;

    /**
     * Creates the controller.
     *
     * @param scores the {@code scores} dict ({@code quiver.dicts.instances.scores}), whose missing keys read as 0;
     *        injected as a {@link DefaultDict}, so that it serves whichever {@code store} the dict is configured with
     * @param locks hands out a lock per player, with the {@code quiver.redis-locks} settings; a player's lock costs
     *        nothing once nobody holds or waits for it, however many players there are
     */
    public ScoreController(@Qualifier("scores") DefaultDict<String, Long> scores, RedisLocks locks) {
        this.scores = scores;
        this.locks = locks;
    }

    /**
     * {@code POST /players/{id}/score?delta=N}: adds {@code delta} to the player's score. Without the lock, two
     * updates that read the same old score would both write their own sum, and one of them would be lost.
     *
     * @param id the player's id
     * @param delta the points to add (negative to take points away)
     * @return a future of the new score
     */
    @PostMapping("/players/{id}/score")
    public CompletableFuture<ScoreResponse> addScore(@PathVariable String id, @RequestParam long delta) {
        RedisLock lock = this.locks.get("score:" + id);
        return lock.withLock(() -> this.scores.aget(id).thenCompose((current) -> {
            long score = current + delta;
            return this.scores.aset(id, score).thenApply((stored) -> new ScoreResponse(id, delta, score));
        }));
    }
}
