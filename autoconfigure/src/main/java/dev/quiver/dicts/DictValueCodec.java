package dev.quiver.dicts;

import org.springframework.data.redis.serializer.JacksonJsonRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a dict's values into the bytes stored in Redis and back, naming the key when bytes do not decode.
 *
 * @param <V> the value type
 */
final class DictValueCodec<V> {

    private final Class<V> type;

    private final RedisSerializer<V> serializer;

    DictValueCodec(Class<V> type, RedisSerializer<V> serializer) {
        this.type = type;
        this.serializer = serializer;
    }

    /**
     * Creates a codec writing JSON with Jackson. Kept apart so that Jackson is only loaded when no serializer is
     * given.
     */
    static <V> DictValueCodec<V> json(Class<V> type, JsonMapper mapper) {
        return new DictValueCodec<>(type, new JacksonJsonRedisSerializer<>(mapper, type));
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

}
