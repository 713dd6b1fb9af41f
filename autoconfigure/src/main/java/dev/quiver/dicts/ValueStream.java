package dev.quiver.dicts;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * The values read for a batch of keys, in order, end to end in one array with a separator after each, so that a
 * batch decodes with one parser over one array and no value needs an array of its own; a missing value takes no
 * bytes.
 * <p>
 * Filled by one thread (the one reading the reply), then read by another after the reply's future completes.
 */
final class ValueStream {

    /** The byte after each value: whitespace to a JSON parser, so the values read as a sequence of root values. */
    private static final byte SEPARATOR = '\n';

    private static final int MISSING = -1;

    private byte[] bytes;

    private int length;

    private final int[] starts;

    private final int[] ends;

    private int count;

    /**
     * Creates an empty stream.
     *
     * @param values how many values it will hold
     * @param bytesHint about how many bytes they take, separators included
     */
    ValueStream(int values, int bytesHint) {
        this.bytes = new byte[Math.max(16, bytesHint)];
        this.starts = new int[values];
        this.ends = new int[values];
    }

    /**
     * Copies a list of values, {@code null} where one is missing, into a stream.
     *
     * @param values the values
     * @return the stream
     */
    static ValueStream of(List<byte @Nullable []> values) {
        int length = 0;
        for (byte[] value : values) {
            length += (value != null) ? value.length + 1 : 0;
        }
        ValueStream stream = new ValueStream(values.size(), length);
        for (byte[] value : values) {
            if (value == null) {
                stream.addMissing();
            }
            else {
                stream.ensureRoom(value.length + 1);
                System.arraycopy(value, 0, stream.bytes, stream.length, value.length);
                stream.append(value.length);
            }
        }
        return stream;
    }

    /**
     * Appends the next value, reading its remaining bytes; {@code null} for a missing one.
     *
     * @param value the value's bytes, or {@code null}
     * @throws IllegalStateException if the stream holds all the values it was made for
     */
    void add(@Nullable ByteBuffer value) {
        if (value == null) {
            addMissing();
            return;
        }
        int size = value.remaining();
        ensureRoom(size + 1);
        value.get(this.bytes, this.length, size);
        append(size);
    }

    /**
     * Returns how many values it holds.
     *
     * @return the number of values, missing ones included
     */
    int size() {
        return this.count;
    }

    /**
     * Tells whether value {@code index} was read.
     *
     * @param index the value's position
     * @return {@code false} if its key was missing
     */
    boolean isPresent(int index) {
        return this.ends[checkIndex(index)] != MISSING;
    }

    /**
     * Returns a copy of the bytes of value {@code index}.
     *
     * @param index the value's position
     * @return its bytes, or {@code null} if its key was missing
     */
    byte @Nullable [] value(int index) {
        return isPresent(index) ? Arrays.copyOfRange(this.bytes, this.starts[index], this.ends[index]) : null;
    }

    /**
     * Returns the array holding every value; only its first {@link #length()} bytes are the stream's.
     *
     * @return the array, not a copy
     */
    byte[] bytes() {
        return this.bytes;
    }

    /**
     * Returns how many bytes of {@link #bytes()} the values and their separators take.
     *
     * @return the length
     */
    int length() {
        return this.length;
    }

    /**
     * Returns where value {@code index} starts in {@link #bytes()}.
     *
     * @param index the position of a present value
     * @return the offset of its first byte
     */
    int start(int index) {
        return this.starts[checkIndex(index)];
    }

    /**
     * Returns where value {@code index} ends in {@link #bytes()}: the offset of its separator.
     *
     * @param index the position of a present value
     * @return the offset just past its last byte
     */
    int end(int index) {
        return this.ends[checkIndex(index)];
    }

    private void addMissing() {
        checkRoomForValue();
        this.starts[this.count] = MISSING;
        this.ends[this.count] = MISSING;
        this.count++;
    }

    /** Records the {@code size} bytes just written at the end of the stream as the next value. */
    private void append(int size) {
        checkRoomForValue();
        this.starts[this.count] = this.length;
        this.length += size;
        this.ends[this.count] = this.length;
        this.bytes[this.length++] = SEPARATOR;
        this.count++;
    }

    private void ensureRoom(int size) {
        if (this.bytes.length - this.length < size) {
            this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.length + size));
        }
    }

    private void checkRoomForValue() {
        if (this.count == this.ends.length) {
            throw new IllegalStateException("a stream of " + this.ends.length + " values got one more");
        }
    }

    private int checkIndex(int index) {
        return Objects.checkIndex(index, this.count);
    }

}
