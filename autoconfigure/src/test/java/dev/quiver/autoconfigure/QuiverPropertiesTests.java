package dev.quiver.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link QuiverProperties}: the defaults its groups' constructors write are the ones the configuration
 * metadata announces, and values bind as Spring Boot binds its own.
 */
class QuiverPropertiesTests {

    @Test
    void everyDefaultOfTheMetadataBindsToTheDefaultTheGroupAlreadyHas() throws IOException {
        int defaults = 0;
        for (JsonNode property : metadata().get("properties")) {
            String name = property.get("name").asText();
            JsonNode defaultValue = property.get("defaultValue");
            if (!name.startsWith("quiver.") || defaultValue == null) {
                continue;
            }
            QuiverProperties bound = bind(Map.of(name, defaultValue.asText()));
            assertThat(bound).as("%s bound to its announced default %s", name, defaultValue)
                .usingRecursiveComparison()
                .isEqualTo(new QuiverProperties());
            defaults++;
        }
        assertThat(defaults).as("properties with a default").isGreaterThanOrEqualTo(13);
    }

    @Test
    void anInstanceStartsWithNoSettingsOfItsOwn() {
        QuiverProperties bound = bind(Map.of("quiver.caches.instances.quotes.max-entries", "10",
                "quiver.redis-locks.instances.report.timeout", "30s"));
        QuiverProperties.Cache quotes = bound.getCaches().getInstances().get("quotes");
        assertThat(quotes.getMaxEntries()).isEqualTo(10);
        assertThat(quotes.getExpiration()).isNull();
        QuiverProperties.RedisLock report = bound.getRedisLocks().getInstances().get("report");
        assertThat(report.getKeyPrefix()).isNull();
        assertThat(report.getThreadLocal()).isNull();
        assertThat(bound.getCaches().getMaxEntries()).isEqualTo(2000);
    }

    @Test
    void aStoreBindsWhateverItsCase() {
        QuiverProperties bound = bind(Map.of("quiver.dicts.store", "LOCAL", "quiver.dicts.instances.scores.store",
                "Redis", "quiver.dicts.instances.greetings.store", "local"));
        assertThat(bound.getDicts().getStore()).isEqualTo(QuiverProperties.Store.LOCAL);
        assertThat(bound.getDicts().getInstances().get("scores").getStore()).isEqualTo(QuiverProperties.Store.REDIS);
        assertThat(bound.getDicts().getInstances().get("greetings").getStore())
            .isEqualTo(QuiverProperties.Store.LOCAL);
    }

    private static QuiverProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("quiver", QuiverProperties.class);
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in = QuiverPropertiesTests.class.getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }
}
