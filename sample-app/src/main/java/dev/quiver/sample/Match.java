package dev.quiver.sample;

import java.io.Serial;
import java.io.Serializable;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * One match of a player. Deliberately mutable, as many domain objects are: code that changes a match it got from
 * the matches cache would change it for every later reader, which is why the history goes through a
 * {@link dev.quiver.objects.CloneGenerator}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Match implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private String id;

    private String opponent;

    private boolean won;

    private int kills;

    private int deaths;

    private @Nullable String summary;

    /**
     * Creates a match.
     *
     * @param id the match id
     * @param opponent the opponent's player id
     * @param won whether the player won
     * @param kills the player's kills
     * @param deaths the player's deaths
     */
    public Match(String id, String opponent, boolean won, int kills, int deaths) {
        this.id = id;
        this.opponent = opponent;
        this.won = won;
        this.kills = kills;
        this.deaths = deaths;
    }

    /**
     * Returns the match id.
     *
     * @return the id
     */
    public String getId() {
        return this.id;
    }

    /**
     * Sets the match id.
     *
     * @param id the id
     */
    public void setId(String id) {
        this.id = id;
    }

    /**
     * Returns the opponent's player id.
     *
     * @return the opponent
     */
    public String getOpponent() {
        return this.opponent;
    }

    /**
     * Sets the opponent's player id.
     *
     * @param opponent the opponent
     */
    public void setOpponent(String opponent) {
        this.opponent = opponent;
    }

    /**
     * Tells whether the player won.
     *
     * @return {@code true} for a win
     */
    public boolean isWon() {
        return this.won;
    }

    /**
     * Sets whether the player won.
     *
     * @param won {@code true} for a win
     */
    public void setWon(boolean won) {
        this.won = won;
    }

    /**
     * Returns the player's kills.
     *
     * @return the kills
     */
    public int getKills() {
        return this.kills;
    }

    /**
     * Sets the player's kills.
     *
     * @param kills the kills
     */
    public void setKills(int kills) {
        this.kills = kills;
    }

    /**
     * Returns the player's deaths.
     *
     * @return the deaths
     */
    public int getDeaths() {
        return this.deaths;
    }

    /**
     * Sets the player's deaths.
     *
     * @param deaths the deaths
     */
    public void setDeaths(int deaths) {
        this.deaths = deaths;
    }

    /**
     * Returns the one-line summary the history view adds, if any.
     *
     * @return the summary, or {@code null} outside the history view
     */
    public @Nullable String getSummary() {
        return this.summary;
    }

    /**
     * Sets the one-line summary shown in the history view.
     *
     * @param summary the summary
     */
    public void setSummary(@Nullable String summary) {
        this.summary = summary;
    }
}
