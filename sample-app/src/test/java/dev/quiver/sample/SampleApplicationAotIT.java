package dev.quiver.sample;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.quiver.testsupport.SharedRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app as {@code spring-boot:process-aot} left it, started in AOT mode ({@code -Dspring.aot.enabled=true}) in
 * a JVM of its own with only its own class path, as it would run before or instead of a native image: it starts on
 * the generated code, and its local and Redis endpoints answer. Runs in {@code ./mvnw verify}, after the packaging
 * phase that processes the app.
 */
class SampleApplicationAotIT {

    private static final Pattern PORT = Pattern.compile("started on port (\\d+)");

    private final List<String> log = new ArrayList<>();

    private Process app;

    @AfterEach
    void stopTheApp() throws InterruptedException {
        if (this.app != null) {
            this.app.destroy();
            if (!this.app.waitFor(20, TimeUnit.SECONDS)) {
                this.app.destroyForcibly();
            }
        }
    }

    @Test
    void theAotProcessedAppStartsInAotModeAndAnswers() throws Exception {
        Path classes = Path.of(System.getProperty("sample.classes", "target/classes"));
        assertThat(classes.resolve("dev/quiver/sample/SampleApplication__ApplicationContextInitializer.class"))
            .as("process-aot's output").exists();
        String classPath = classes + File.pathSeparator + Files
            .readString(Path.of(System.getProperty("sample.runtime-classpath", "target/runtime-classpath.txt")))
            .strip();
        ProcessBuilder builder = new ProcessBuilder(javaExecutable(), "-Dspring.aot.enabled=true", "-cp", classPath,
                SampleApplication.class.getName(), "--server.port=0",
                "--spring.data.redis.url=" + SharedRedis.endpoint().url())
            .redirectErrorStream(true);
        this.app = builder.start();
        int port = awaitPort();
        List<String> output;
        synchronized (this.log) {
            output = List.copyOf(this.log);
        }
        assertThat(output).anyMatch((line) -> line.contains("Starting AOT-processed SampleApplication"));

        SampleHttp http = new SampleHttp(port);
        // the app's first connection to Redis may still be on its way on a busy machine
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(http.get("/actuator/health").ok().json().get("status").asString())
                .isEqualTo("UP"));
        assertThat(http.get("/players/aot-1").ok().json().get("id").asString()).isEqualTo("aot-1");
        assertThat(http.post("/players/aot-1/score?delta=5").ok().json().get("score").asLong()).isEqualTo(5);
        assertThat(http.post("/players/aot-1/score?delta=2").ok().json().get("score").asLong()).isEqualTo(7);
        assertThat(http.get("/actuator/quiver").ok().json().get("caches").has("profiles")).isTrue();
    }

    /** Reads the app's output until Tomcat says its port, or fails with the output so far. */
    private int awaitPort() throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(this.app.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    synchronized (this.log) {
                        this.log.add(line);
                    }
                    Matcher matcher = PORT.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("The app stopped before it listened"));
            }
            catch (IOException ex) {
                port.completeExceptionally(ex);
            }
        }, "sample-aot-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return port.get(60, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            synchronized (this.log) {
                throw new AssertionError("The AOT-processed app did not start:\n" + String.join("\n", this.log), ex);
            }
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
