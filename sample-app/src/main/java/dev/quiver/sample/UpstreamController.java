package dev.quiver.sample;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Shows how often the app has called the stats provider, so a user can watch the caches save calls.
 */
@RestController
public class UpstreamController {

    private final StatsProvider statsProvider;

    /**
     * Creates the controller.
     *
     * @param statsProvider the simulated upstream
     */
    public UpstreamController(StatsProvider statsProvider) {
        this.statsProvider = statsProvider;
    }

    /**
     * {@code GET /upstream}: the calls made to the stats provider so far.
     *
     * @return the count
     */
    @GetMapping("/upstream")
    public UpstreamCalls calls() {
        return new UpstreamCalls(this.statsProvider.calls());
    }
}
