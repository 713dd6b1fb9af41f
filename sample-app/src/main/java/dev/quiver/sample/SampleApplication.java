package dev.quiver.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

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
}
