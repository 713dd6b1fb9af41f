package dev.quiver.dicts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Tests that a dict's keys have the same bytes on both of its ways to Redis: the arrays Spring's commands take and the
 * direct writes of the Lettuce codec, whose size estimate Lettuce sends as the key's length.
 */
class PrefixedKeysTest {

    private static final List<String> PREFIXES = List.of("", "scores:", "ü:", "日本:");

    /** ASCII, Latin-1, other planes, a pair of surrogates, and a lone surrogate (written as '?' by both). */
    private static final List<String> KEYS = List.of("", "plain", "café", "naïve", "日本", "\uD83C\uDFF9", "a\uD800b");

    @Test
    void bothWaysWriteThePrefixAndTheKeyInUtf8() {
        for (String prefix : PREFIXES) {
            PrefixedKeys keys = new PrefixedKeys(prefix);
            LettuceMget.PrefixedKeyCodec codec = new LettuceMget.PrefixedKeyCodec(keys);
            for (String key : KEYS) {
                byte[] expected = (prefix + key).getBytes(StandardCharsets.UTF_8);
                assertThat(keys.encode(key)).as("array of %s%s", prefix, key).isEqualTo(expected);

                ByteBuf written = Unpooled.buffer();
                codec.encodeKey(key, written);
                byte[] bytes = new byte[written.readableBytes()];
                written.readBytes(bytes);
                assertThat(bytes).as("codec's write of %s%s", prefix, key).isEqualTo(expected);
                assertThat(codec.estimateSize(key)).as("codec's size of %s%s", prefix, key).isEqualTo(expected.length);
            }
        }
    }

    @Test
    void encodeAllKeepsTheOrderAndANullKeyIsNamedByItsIndex() {
        PrefixedKeys keys = new PrefixedKeys("p:");

        assertThat(Arrays.stream(keys.encodeAll(List.of("b", "a", "b")))
            .map((bytes) -> new String(bytes, StandardCharsets.UTF_8))).containsExactly("p:b", "p:a", "p:b");
        assertThatNullPointerException().isThrownBy(() -> PrefixedKeys.requireNoNull(Arrays.asList("a", null)))
            .withMessage("keys[1] must not be null");
    }
}
