package dev.quiver.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps the README's property table true to the configuration metadata generated from {@link QuiverProperties}:
 * every property listed in its "Configuration" section, with its default and description.
 */
class ReadmePropertyTableTests {

    private static final Pattern ROW = Pattern.compile("^\\| `(quiver\\.[^`]+)` \\|[^|]*\\|([^|]*)\\|(.*)\\|$");

    @Test
    void everyPropertyOfTheMetadataIsInTheReadmeWithItsDefaultAndDescription() throws IOException {
        Map<String, String[]> rows = readmeRows();
        JsonNode metadata = metadata();
        assertThat(metadata.get("properties")).isNotEmpty();
        for (JsonNode property : metadata.get("properties")) {
            String name = property.get("name").asText();
            if (!name.startsWith("quiver.")) {
                // the actuator's own keys for the quiver endpoint (management.endpoint.quiver.*) are Boot's to document
                continue;
            }
            assertThat(rows).as("README row for %s", name).containsKey(name);
            String[] row = rows.get(name);
            JsonNode defaultValue = property.get("defaultValue");
            String expectedDefault = (defaultValue == null) ? "" : "`" + defaultValue.asText() + "`";
            assertThat(row[0]).as("default of %s in the README", name).isEqualTo(expectedDefault);
            assertThat(row[1]).as("description of %s in the README", name)
                .isEqualTo(property.get("description").asText());
        }
    }

    @Test
    void theReadmeListsNoPropertyThatDoesNotExist() throws IOException {
        JsonNode metadata = metadata();
        for (String name : readmeRows().keySet()) {
            if (name.contains("<name>")) {
                String group = name.substring(0, name.indexOf(".<name>"));
                assertThat(metadata.get("properties").valueStream().map((p) -> p.get("name").asText()))
                    .as("the map property behind %s", name)
                    .contains(group);
                continue;
            }
            assertThat(metadata.get("properties").valueStream().map((p) -> p.get("name").asText()))
                .as("metadata for README row %s", name)
                .contains(name);
        }
    }

    private static Map<String, String[]> readmeRows() throws IOException {
        Map<String, String[]> rows = new LinkedHashMap<>();
        boolean inConfigurationSection = false;
        for (String line : Files.readAllLines(readme())) {
            if (line.startsWith("## ")) {
                inConfigurationSection = line.equals("## Configuration");
            }
            if (!inConfigurationSection) {
                continue;
            }
            Matcher row = ROW.matcher(line.strip());
            if (row.matches()) {
                rows.put(row.group(1), new String[] { row.group(2).strip(), row.group(3).strip() });
            }
        }
        return rows;
    }

    private static Path readme() {
        // the module's tests run with the module as working directory; the README is the project's
        Path fromModule = Path.of("..", "README.md");
        return Files.exists(fromModule) ? fromModule : Path.of("README.md");
    }

    private static JsonNode metadata() throws IOException {
        try (InputStream in = ReadmePropertyTableTests.class.getClassLoader()
            .getResourceAsStream("META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            return JsonMapper.builder().build().readTree(in);
        }
    }
}
