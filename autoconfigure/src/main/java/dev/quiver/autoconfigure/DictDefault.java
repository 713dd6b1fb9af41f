package dev.quiver.autoconfigure;

import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The default of a configured dict, supplied from code as a bean:
 * {@code @Bean DictDefault<Long> scoresDefault() { return DictDefault.of("scores", key -> 0L); }}.
 * <p>
 * A {@code DictDefault} whose dict is not configured under {@code quiver.dicts}, or whose value type does not fit the
 * dict's {@code value-type}, stops start-up with a message naming the dict.
 *
 * @param <V> the dict's value type
 */
public final class DictDefault<V> {

    private final String dictName;

    private final @Nullable Class<V> valueType;

    private final @Nullable Function<String, ? extends V> syncDefaults;

    private final @Nullable Function<String, ? extends CompletionStage<? extends V>> asyncDefaults;

    private DictDefault(String dictName, @Nullable Class<V> valueType, @Nullable Function<String, ? extends V> sync,
            @Nullable Function<String, ? extends CompletionStage<? extends V>> async) {
        Objects.requireNonNull(dictName, "dictName must not be null");
        if (dictName.isBlank()) {
            throw new IllegalArgumentException("dictName must not be blank");
        }
        this.dictName = dictName;
        this.valueType = valueType;
        this.syncDefaults = sync;
        this.asyncDefaults = async;
    }

    /**
     * A default computed synchronously from the key.
     *
     * @param dictName the name of the configured dict
     * @param defaults computes the value of a missing key
     * @param <V> the dict's value type
     * @return the default
     */
    public static <V> DictDefault<V> of(String dictName, Function<String, ? extends V> defaults) {
        return new DictDefault<>(dictName, null, Objects.requireNonNull(defaults, "defaults must not be null"), null);
    }

    /**
     * A default computed synchronously from the key, with its value type stated so that start-up can check it
     * against the dict's {@code value-type} even where generics are erased.
     *
     * @param dictName the name of the configured dict
     * @param valueType the class of the values
     * @param defaults computes the value of a missing key
     * @param <V> the dict's value type
     * @return the default
     */
    public static <V> DictDefault<V> of(String dictName, Class<V> valueType, Function<String, ? extends V> defaults) {
        return new DictDefault<>(dictName, Objects.requireNonNull(valueType, "valueType must not be null"),
                Objects.requireNonNull(defaults, "defaults must not be null"), null);
    }

    /**
     * A default computed asynchronously from the key.
     *
     * @param dictName the name of the configured dict
     * @param defaults starts computing the value of a missing key
     * @param <V> the dict's value type
     * @return the default
     */
    public static <V> DictDefault<V> async(String dictName,
            Function<String, ? extends CompletionStage<? extends V>> defaults) {
        return new DictDefault<>(dictName, null, null, Objects.requireNonNull(defaults, "defaults must not be null"));
    }

    /**
     * A default computed asynchronously from the key, with its value type stated.
     *
     * @param dictName the name of the configured dict
     * @param valueType the class of the values
     * @param defaults starts computing the value of a missing key
     * @param <V> the dict's value type
     * @return the default
     */
    public static <V> DictDefault<V> async(String dictName, Class<V> valueType,
            Function<String, ? extends CompletionStage<? extends V>> defaults) {
        return new DictDefault<>(dictName, Objects.requireNonNull(valueType, "valueType must not be null"), null,
                Objects.requireNonNull(defaults, "defaults must not be null"));
    }

    /**
     * Returns the name of the dict this default belongs to.
     *
     * @return the dict name
     */
    public String dictName() {
        return this.dictName;
    }

    /**
     * Returns the value type stated at creation, if any.
     *
     * @return the value type, or {@code null} when only the bean's generic type tells it
     */
    public @Nullable Class<V> valueType() {
        return this.valueType;
    }

    /**
     * Tells whether the default is computed asynchronously.
     *
     * @return {@code true} for {@link #async}
     */
    public boolean isAsync() {
        return this.asyncDefaults != null;
    }

    /**
     * Returns the synchronous default function.
     *
     * @return the function, or {@code null} for an asynchronous default
     */
    public @Nullable Function<String, ? extends V> syncDefaults() {
        return this.syncDefaults;
    }

    /**
     * Returns the asynchronous default function.
     *
     * @return the function, or {@code null} for a synchronous default
     */
    public @Nullable Function<String, ? extends CompletionStage<? extends V>> asyncDefaults() {
        return this.asyncDefaults;
    }

    @Override
    public String toString() {
        return "DictDefault[" + this.dictName + (isAsync() ? ", async" : "") + "]";
    }
}
