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

    /**
     * The prefix and then {@code key}, in UTF-8, in one array. An ASCII key (the usual kind) is written straight
     * into it, without an array of its own first.
     */
    byte[] encode(String key) {
        int start = this.prefix.length;
        byte[] redisKey = new byte[start + key.length()];
        System.arraycopy(this.prefix, 0, redisKey, 0, start);
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c >= 0x80) {
                byte[] suffix = key.getBytes(StandardCharsets.UTF_8);
                redisKey = Arrays.copyOf(this.prefix, start + suffix.length);
                System.arraycopy(suffix, 0, redisKey, start, suffix.length);
                return redisKey;
            }
            redisKey[start + i] = (byte) c;
        }
        return redisKey;
    }
}
