package dev.quiver.sample;

import dev.quiver.autoconfigure.DictDefault;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The Quiver sample: a small game-stats service that uses every Quiver bean.
 */
@SpringBootApplication
public class SampleApplication {

    /**
     * Starts the sample app.
     *
     * @param args command-line arguments, passed to Spring Boot
     */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /**
     * The default of the {@code scores} dict: a player nobody has scored yet has 0 points.
     *
     * @return the default
     */
    @Bean
    DictDefault<Long> scoresDefault() {
        return DictDefault.of("scores", Long.class, (player) -> 0L);
    }
}
