package dev.quiver.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Calls the sample app over HTTP, as a user's {@code curl} would, and reads the JSON it answers.
 */
final class SampleHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client = HttpClient.newHttpClient();

    private final int port;

    SampleHttp(int port) {
        this.port = port;
    }

    /** {@code GET path}. */
    Response get(String path) {
        return send(request(path).GET().build());
    }

    /** {@code POST path} with an empty body. */
    Response post(String path) {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** {@code DELETE path}. */
    Response delete(String path) {
        return send(request(path).DELETE().build());
    }

    /** {@code POST path} with an empty body, without waiting for the answer. */
    CompletableFuture<Response> postAsync(String path) {
        long start = System.nanoTime();
        return this.client
            .sendAsync(request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString())
            .thenApply((response) -> new Response(response.statusCode(), response.body(), since(start)));
    }

    /**
     * The value of one statistic of a meter, e.g. {@code ("cache.gets?tag=cache:profiles&tag=result:hit", "COUNT")};
     * 0 when the meter does not exist (yet).
     */
    double measurement(String meter, String statistic) {
        Response response = get("/actuator/metrics/" + meter);
        if (response.status() == 404) {
            return 0;
        }
        for (JsonNode measurement : response.ok().json().get("measurements")) {
            if (measurement.get("statistic").asString().equals(statistic)) {
                return measurement.get("value").asDouble();
            }
        }
        throw new AssertionError("No " + statistic + " in " + meter + ": " + response.body());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
            .timeout(Duration.ofSeconds(30));
    }

    private Response send(HttpRequest request) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), since(start));
        }
        catch (IOException ex) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + ex, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", ex);
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /**
     * One answer of the app.
     *
     * @param status the HTTP status
     * @param body the body as text
     * @param elapsed how long the app took to answer
     */
    record Response(int status, String body, Duration elapsed) {

        /** The body as JSON. */
        JsonNode json() {
            return JSON.readTree(this.body);
        }

        /** This response, after checking that its status is 200. */
        Response ok() {
            if (this.status != 200) {
                throw new AssertionError("Expected 200 but got " + this.status + ": " + this.body);
            }
            return this;
        }
    }
}
