package dev.quiver.autoconfigure;

import java.util.Map;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * The HTTP side of the {@link QuiverEndpoint}: {@code GET /actuator/quiver/{name}} answers 404 with a message for a
 * name no Quiver bean has, and {@code DELETE /actuator/quiver/{name}} answers 200 when it cleared the cache of that
 * name, 400 when the name is a lock or a dict (only caches can be cleared) and 404 when no Quiver bean has it.
 */
@EndpointWebExtension(endpoint = QuiverEndpoint.class)
public class QuiverEndpointWebExtension {

    private final QuiverEndpoint endpoint;

    /**
     * Creates the extension of an endpoint.
     *
     * @param endpoint the endpoint whose operations this one answers over HTTP
     */
    public QuiverEndpointWebExtension(QuiverEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Describes one Quiver bean.
     *
     * @param name the bean's name
     * @return 200 with the bean's state, or 404 with a message when no Quiver bean has that name
     */
    @ReadOperation
    public WebEndpointResponse<Object> bean(@Selector String name) {
        QuiverEndpoint.QuiverBeanDescriptor bean = this.endpoint.bean(name);
        if (bean == null) {
            return new WebEndpointResponse<>(Map.of("message", "No Quiver bean is named '" + name + "'"),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        return new WebEndpointResponse<>(bean);
    }

    /**
     * Clears a cache.
     *
     * @param name the cache's name
     * @return 200 with the outcome when the cache was cleared, 400 when the name is a lock or a dict, 404 when no
     *         Quiver bean has it
     */
    @DeleteOperation
    public WebEndpointResponse<QuiverEndpoint.ClearOutcome> clear(@Selector String name) {
        QuiverEndpoint.ClearOutcome outcome = this.endpoint.clear(name);
        int status = switch (outcome.result()) {
            case CLEARED -> WebEndpointResponse.STATUS_OK;
            case NOT_A_CACHE -> WebEndpointResponse.STATUS_BAD_REQUEST;
            case NOT_FOUND -> WebEndpointResponse.STATUS_NOT_FOUND;
        };
        return new WebEndpointResponse<>(outcome, status);
    }
}
