package dev.quiver.dicts;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.MappingIterator;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a dict's values into the bytes stored in Redis and back, naming the key when bytes do not decode.
 * <p>
 * A JSON codec decodes a batch ({@link #decodeAll}) with one parser and one deserialization context over all the
 * values, rather than one of each per value: for the 1,000 values of an {@code mget} that is most of the time spent
 * beside the {@code MGET} itself. It accepts a batch only if each value's tokens lie within that value's own bytes,
 * which is what decoding the values one by one accepts; otherwise it decodes them one by one, and so names the key
 * whose bytes do not decode.
 *
 * @param <V> the value type
 */
final class DictValueCodec<V> {

    /** Below this many values a batch is decoded one value at a time. */
    private static final int BATCH_MIN = 8;

    private final Class<V> type;

    private final RedisSerializer<V> serializer;

    /** Reads the values of a JSON codec in batches; {@code null} for other serializers. */
    private final @Nullable ObjectReader batchReader;

    DictValueCodec(Class<V> type, RedisSerializer<V> serializer) {
        this(type, serializer, null);
    }

    private DictValueCodec(Class<V> type, RedisSerializer<V> serializer, @Nullable ObjectReader batchReader) {
        this.type = type;
        this.serializer = serializer;
        this.batchReader = batchReader;
    }

    /**
     * Creates a codec writing JSON with Jackson. Kept apart so that Jackson is only loaded when no serializer is
     * given.
     */
    static <V> DictValueCodec<V> json(Class<V> type, JsonMapper mapper) {
        return new DictValueCodec<>(type, new JacksonJsonRedisSerializer<>(mapper, type), mapper.readerFor(type));
    }

    static <V> DictValueCodec<V> json(Class<V> type) {
        return json(type, JsonMapper.builder().build());
    }

    Class<V> type() {
        return this.type;
    }

    byte[] encode(String key, V value) {
        byte[] bytes = this.serializer.serialize(value);
        if (bytes == null || bytes.length == 0) {
            // an empty string cannot be told apart from a missing key in every client reply
            throw new IllegalArgumentException("value for key '" + key + "' serialized to no bytes: " + value);
        }
        return bytes;
    }

    V decode(String key, byte[] bytes) {
        V value;
        try {
            value = this.serializer.deserialize(bytes);
        }
        catch (RuntimeException ex) {
            throw new DictValueDecodingException(key, this.type, ex);
        }
        if (value == null) {
            throw new DictValueDecodingException(key, this.type,
                    new IllegalStateException("the " + bytes.length + " bytes decode to null"));
        }
        return value;
    }

    /**
     * Decodes the values read for {@code keys}, in order, into a new list the caller may change; {@code null} where
     * nothing was read.
     *
     * @throws DictValueDecodingException naming the first key whose bytes do not decode
     */
    List<@Nullable V> decodeAll(List<String> keys, ValueStream values) {
        List<@Nullable V> decoded = (this.batchReader != null) ? decodeBatch(this.batchReader, values) : null;
        if (decoded != null) {
            return decoded;
        }
        decoded = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            byte[] bytes = values.value(i);
            decoded.add((bytes != null) ? decode(keys.get(i), bytes) : null);
        }
        return decoded;
    }

    /**
     * Decodes the values as one stream of root-level JSON values, one per line; {@code null} if the stream does not
     * split into exactly one value per line, or any value does not decode (the caller then decodes them one by one
     * to find out which).
     */
    private @Nullable List<@Nullable V> decodeBatch(ObjectReader reader, ValueStream values) {
        int present = 0;
        for (int i = 0; i < values.size(); i++) {
            if (values.isPresent(i)) {
                if (values.start(i) == values.end(i)) {
                    return null;
                }
                present++;
            }
        }
        if (present < BATCH_MIN) {
            return null;
        }
        List<@Nullable V> decoded = new ArrayList<>(values.size());
        try (JsonParser parser = reader.createParser(values.bytes(), 0, values.length());
                MappingIterator<V> iterator = reader.readValues(parser)) {
            for (int i = 0; i < values.size(); i++) {
                if (!values.isPresent(i)) {
                    decoded.add(null);
                    continue;
                }
                if (!iterator.hasNextValue() || parser.currentTokenLocation().getByteOffset() < values.start(i)) {
                    return null;
                }
                V value = iterator.nextValue();
                // a root-level number ends at the byte after it, so the value may have read its separator
                if (value == null || parser.currentLocation().getByteOffset() > values.end(i) + 1) {
                    return null;
                }
                decoded.add(value);
            }
            return iterator.hasNextValue() ? null : decoded;
        }
        catch (RuntimeException ex) {
            return null;
        }
    }
}
