package dev.quiver.autoconfigure;

/**
 * Thrown at start-up when a {@code quiver.*} property has a value Quiver cannot use; {@link QuiverFailureAnalyzer}
 * turns it into a report that names the property, the value and the fix.
 */
public class InvalidQuiverPropertyException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

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
        super("Invalid value '" + value + "' for property '" + property + "': " + problem + ". Fix: " + fix);
        this.property = property;
        this.value = String.valueOf(value);
        this.fix = fix;
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
