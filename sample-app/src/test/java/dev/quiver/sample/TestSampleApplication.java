package dev.quiver.sample;

import org.springframework.boot.SpringApplication;

/**
 * Runs the sample app with a Redis of its own in Docker, for users who have Docker but no Redis:
 * {@code ./mvnw -pl sample-app -am spring-boot:test-run}. No test runs it.
 */
public final class TestSampleApplication {

    private TestSampleApplication() {
    }

    /**
     * Starts the sample app and, before it, a {@code redis:7} container.
     *
     * @param args command-line arguments, passed to Spring Boot
     */
    public static void main(String[] args) {
        SpringApplication.from(SampleApplication::main).with(RedisContainerConfiguration.class).run(args);
    }
}
