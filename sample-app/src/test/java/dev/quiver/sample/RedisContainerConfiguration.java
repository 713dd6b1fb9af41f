package dev.quiver.sample;

import org.testcontainers.containers.GenericContainer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * A Redis in Docker for {@link TestSampleApplication}: Spring Boot starts the container with the app and points
 * {@code spring.data.redis.*} at it through {@link ServiceConnection}.
 */
@TestConfiguration(proxyBeanMethods = false)
class RedisContainerConfiguration {

    @Bean
    @ServiceConnection(name = "redis")
    GenericContainer<?> redis() {
        return new GenericContainer<>("redis:7").withExposedPorts(6379);
    }
}
