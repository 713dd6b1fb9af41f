package dev.quiver.dicts;

/**
 * Thrown when the bytes stored at a key do not decode as the dict's value type, for example because another
 * program wrote something else there. The bytes are left as they are.
 */
public final class DictValueDecodingException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String key;

    private final Class<?> type;

    /**
     * Creates the exception for the value at {@code key}.
     *
     * @param key the key as the store sees it (for Redis, the prefixed key)
     * @param type the type the value should have decoded as
     * @param cause why decoding failed
     */
    public DictValueDecodingException(String key, Class<?> type, Throwable cause) {
        super("Value at key '" + key + "' does not decode as " + type.getName() + ": " + cause.getMessage(), cause);
        this.key = key;
        this.type = type;
    }

    /**
     * Returns the key whose value did not decode, as the store sees it.
     *
     * @return the key
     */
    public String key() {
        return this.key;
    }

    /**
     * Returns the type the value should have decoded as.
     *
     * @return the value type
     */
    public Class<?> type() {
        return this.type;
    }

}
