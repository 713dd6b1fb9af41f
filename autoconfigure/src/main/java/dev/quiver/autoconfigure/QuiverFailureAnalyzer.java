package dev.quiver.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Reports a start-up that failed on a {@code quiver.*} property: which property, which value, and the fix. It runs
 * before Spring Boot's generic binding analyzer so that Quiver's properties get Quiver's advice.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class QuiverFailureAnalyzer implements FailureAnalyzer {

    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidQuiverPropertyException invalid) {
                return new FailureAnalysis(invalid.getMessage(),
                        "Update the property '" + invalid.getProperty() + "': " + invalid.getFix() + ".", invalid);
            }
            if (cause instanceof BindException bind && bind.getName().toString().startsWith("quiver")) {
                return analyzeBindFailure(bind);
            }
        }
        return null;
    }

    private FailureAnalysis analyzeBindFailure(BindException bind) {
        String property = (bind.getProperty() != null) ? bind.getProperty().getName().toString() : bind.getName().toString();
        Object value = (bind.getProperty() != null) ? bind.getProperty().getValue() : null;
        Class<?> target = bind.getTarget().getType().resolve(Object.class);
        String origin = (bind.getProperty() != null && bind.getProperty().getOrigin() != null)
                ? " (from " + bind.getProperty().getOrigin() + ")" : "";
        Throwable reason = (bind.getCause() != null) ? rootCause(bind.getCause()) : bind;
        String problem = target.isEnum() ? "it is none of " + constants(target) : reason.getMessage();
        String description = "Invalid value '" + value + "' for property '" + property + "'" + origin + ": "
                + problem;
        return new FailureAnalysis(description, "Update the property '" + property + "': " + expected(target) + ".",
                bind);
    }

    private static String expected(Class<?> target) {
        if (Duration.class.equals(target)) {
            return "write a duration such as 500ms, 10s, 5m or 3h";
        }
        if (Integer.class.equals(target) || int.class.equals(target)) {
            return "write a whole number";
        }
        if (Boolean.class.equals(target) || boolean.class.equals(target)) {
            return "write true or false";
        }
        if (target.isEnum()) {
            return "write one of " + constants(target);
        }
        return "write a value of type " + target.getSimpleName();
    }

    /** An enum's constants as they are written in properties: {@code 'redis', 'local'}. */
    private static String constants(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
            .map((constant) -> "'" + ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-') + "'")
            .collect(Collectors.joining(", "));
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
