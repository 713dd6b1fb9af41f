package dev.quiver.dicts;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The keys of one dict as Redis knows them: the dict's prefix and then the key, in UTF-8.
 */
final class PrefixedKeys {

    private final byte[] prefix;

    PrefixedKeys(String prefix) {
        this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    /** The prefix in UTF-8; not to be changed. */
    byte[] prefix() {
        return this.prefix;
    }

    /**
     * Checks that no key is null, naming the first that is.
     *
     * @throws NullPointerException for the first null key
     */
    static void requireNoNull(List<String> keys) {
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i) == null) {
                throw new NullPointerException("keys[" + i + "] must not be null");
            }
        }
    }

    /** Each key with the prefix in its own array, the arguments of a multi-key command for any client. */
    byte[][] encodeAll(List<String> keys) {
        byte[][] encoded = new byte[keys.size()][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = encode(keys.get(i));
        }
        return encoded;
    }

    /** The prefix and then {@code key}, in UTF-8, in one array. */
    byte[] encode(String key) {
        byte[] suffix = key.getBytes(StandardCharsets.UTF_8);
        byte[] redisKey = Arrays.copyOf(this.prefix, this.prefix.length + suffix.length);
        System.arraycopy(suffix, 0, redisKey, this.prefix.length, suffix.length);
        return redisKey;
    }
}
