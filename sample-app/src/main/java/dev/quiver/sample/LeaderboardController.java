package dev.quiver.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import dev.quiver.dicts.DefaultDict;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The leaderboard of a group of players, read from the {@code scores} dict in one round trip.
 */
@RestController
public class LeaderboardController {

    private final DefaultDict<String, Long> scores;

    /**
     * Creates the controller.
     *
     * @param scores the {@code scores} dict, whose missing keys read as 0
     */
    public LeaderboardController(@Qualifier("scores") DefaultDict<String, Long> scores) {
        this.scores = scores;
    }

    /**
     * {@code GET /leaderboard?ids=a,b,c}: the players ranked by score, highest first (ties by id). All scores come
     * from one {@code MGET}, however many players are asked for; players without a score get the default, 0.
     *
     * @param ids the players' ids
     * @return the ranking
     */
    @GetMapping("/leaderboard")
    public List<LeaderboardEntry> leaderboard(@RequestParam List<String> ids) {
        List<String> players = ids.stream().filter((id) -> !id.isBlank()).distinct().toList();
        List<Long> values = players.isEmpty() ? List.of() : this.scores.mget(players);
        List<Integer> byScore = new ArrayList<>(IntStream.range(0, players.size()).boxed().toList());
        byScore.sort(Comparator.comparing(values::get, Comparator.reverseOrder()).thenComparing(players::get));
        List<LeaderboardEntry> ranking = new ArrayList<>();
        for (int i : byScore) {
            ranking.add(new LeaderboardEntry(ranking.size() + 1, players.get(i), values.get(i)));
        }
        return ranking;
    }
}
