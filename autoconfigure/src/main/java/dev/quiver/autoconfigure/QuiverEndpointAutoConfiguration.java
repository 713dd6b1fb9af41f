package dev.quiver.autoconfigure;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code quiver} actuator endpoint, when the actuator is present and the endpoint is
 * exposed.
 */
@AutoConfiguration(after = { QuiverAutoConfiguration.class, QuiverRedisAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "quiver.enabled", matchIfMissing = true)
@ConditionalOnClass(Endpoint.class)
@ConditionalOnAvailableEndpoint(QuiverEndpoint.class)
public final class QuiverEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    QuiverEndpoint quiverEndpoint(ListableBeanFactory beanFactory) {
        return new QuiverEndpoint(beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBean(QuiverEndpoint.class)
    @ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
    QuiverEndpointWebExtension quiverEndpointWebExtension(QuiverEndpoint endpoint) {
        return new QuiverEndpointWebExtension(endpoint);
    }
}
