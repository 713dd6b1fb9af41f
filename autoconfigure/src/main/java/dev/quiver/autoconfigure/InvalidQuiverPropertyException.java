package dev.quiver.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Thrown at start-up when a {@code quiver.*} property has a value Quiver cannot use; {@link QuiverFailureAnalyzer}
 * turns it into a report that names the property, the value and the fix.
 */
public class InvalidQuiverPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private static final List<ChronoUnit> UNITS = List.of(ChronoUnit.DAYS, ChronoUnit.HOURS, ChronoUnit.MINUTES,
            ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS);

    private static final Map<ChronoUnit, String> SUFFIXES = Map.of(ChronoUnit.DAYS, "d", ChronoUnit.HOURS, "h",
            ChronoUnit.MINUTES, "m", ChronoUnit.SECONDS, "s", ChronoUnit.MILLIS, "ms", ChronoUnit.MICROS, "us");

    private final String property;

    private final String value;

    private final String fix;

    /**
     * Creates the exception.
     *
     * @param property the full property name, e.g. {@code quiver.caches.instances.quotes.max-entries}
     * @param value the offending value as written
     * @param problem what is wrong with it
     * @param fix what to write instead
     */
    public InvalidQuiverPropertyException(String property, Object value, String problem, String fix) {
        super("Invalid value '" + describe(value) + "' for property '" + property + "': " + problem + ". Fix: " + fix);
        this.property = property;
        this.value = describe(value);
        this.fix = fix;
    }

    /**
     * Writes a value as it would appear in {@code application.yml}; durations in their largest whole unit
     * ({@code -5m} rather than {@code PT-5M}).
     */
    private static String describe(Object value) {
        if (!(value instanceof Duration duration)) {
            return String.valueOf(value);
        }
        String sign = duration.isNegative() ? "-" : "";
        Duration size = duration.abs();
        for (ChronoUnit unit : UNITS) {
            Duration one = unit.getDuration();
            if (size.compareTo(one) >= 0 && size.toNanos() % one.toNanos() == 0) {
                return sign + (size.toNanos() / one.toNanos()) + SUFFIXES.get(unit);
            }
        }
        return sign + size.toNanos() + "ns";
    }

    /**
     * Returns the full name of the property.
     *
     * @return the property name
     */
    public String getProperty() {
        return this.property;
    }

    /**
     * Returns the offending value as written.
     *
     * @return the value
     */
    public String getValue() {
        return this.value;
    }

    /**
     * Returns what to write instead.
     *
     * @return the fix
     */
    public String getFix() {
        return this.fix;
    }
}
