package dev.quiver.dicts;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One deferred read or write of a dict, made by {@code fget}/{@code fset} and run in a batch by {@code execute}.
 * <p>
 * The op carries the exact arguments the dict would send: for a {@link RedisDefaultDict} the prefixed key and the
 * serialized value bytes, so the op can also be replayed in a user's own Redis pipeline; for a
 * {@link MultiDefaultDict} the key and value themselves. Instances are immutable.
 */
public final class DictOp {

    /** What an op does. */
    public enum Kind {
        /** Read a key (the dict's default applies when it is missing). */
        GET,
        /** Write a value at a key. */
        SET
    }

    private final Kind kind;

    private final Object key;

    private final @Nullable Object value;

    private DictOp(Kind kind, Object key, @Nullable Object value) {
        this.kind = kind;
        this.key = key;
        this.value = value;
    }

    /**
     * Creates a read of {@code key}.
     *
     * @param key the key as the store sees it
     * @return the op
     * @throws NullPointerException if {@code key} is null
     */
    public static DictOp get(Object key) {
        return new DictOp(Kind.GET, Objects.requireNonNull(key, "key must not be null"), null);
    }

    /**
     * Creates a write of {@code value} at {@code key}.
     *
     * @param key the key as the store sees it
     * @param value the value as the store sees it
     * @return the op
     * @throws NullPointerException if {@code key} or {@code value} is null
     */
    public static DictOp set(Object key, Object value) {
        return new DictOp(Kind.SET, Objects.requireNonNull(key, "key must not be null"),
                Objects.requireNonNull(value, "value must not be null"));
    }

    /**
     * Returns whether this op reads or writes.
     *
     * @return the kind
     */
    public Kind kind() {
        return this.kind;
    }

    /**
     * Returns the key as the store sees it (for Redis, the prefixed key).
     *
     * @return the key
     */
    public Object key() {
        return this.key;
    }

    /**
     * Returns the value a {@link Kind#SET} writes (for Redis, the serialized bytes); {@code null} for a
     * {@link Kind#GET}.
     *
     * @return the value, or {@code null}
     */
    public @Nullable Object value() {
        return this.value;
    }

    /**
     * Returns the op's arguments in command order: {@code [key]} for a read, {@code [key, value]} for a write.
     *
     * @return the arguments, unmodifiable
     */
    public List<Object> args() {
        return (this.value != null) ? List.of(this.key, this.value) : List.of(this.key);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof DictOp op)) {
            return false;
        }
        return this.kind == op.kind && deepEquals(this.key, op.key) && deepEquals(this.value, op.value);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * this.kind.hashCode() + Arrays.deepHashCode(new Object[] { this.key }))
                + Arrays.deepHashCode(new Object[] { this.value });
    }

    @Override
    public String toString() {
        return this.kind + " " + describe(this.key) + ((this.value != null) ? " " + describe(this.value) : "");
    }

    private static boolean deepEquals(@Nullable Object a, @Nullable Object b) {
        return Arrays.deepEquals(new Object[] { a }, new Object[] { b });
    }

    private static String describe(Object part) {
        return (part instanceof byte[] bytes) ? "<" + bytes.length + " bytes>" : String.valueOf(part);
    }
}
