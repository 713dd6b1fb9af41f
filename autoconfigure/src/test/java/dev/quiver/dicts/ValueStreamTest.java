package dev.quiver.dicts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of the stream an {@code MGET}'s values are read into.
 */
class ValueStreamTest {

    @Test
    void valuesLieEndToEndWithASeparatorAfterEachAndMissingOnesTakeNoBytes() {
        ValueStream stream = ValueStream.of(Arrays.asList(utf8("12"), null, utf8("\"é\""), utf8(""), utf8("7")));

        assertThat(stream.size()).isEqualTo(5);
        assertThat(new String(stream.bytes(), 0, stream.length(), StandardCharsets.UTF_8))
            .isEqualTo("12\n\"é\"\n\n7\n");
        assertThat(stream.isPresent(1)).isFalse();
        assertThat(stream.value(1)).isNull();
        assertThat(stream.value(2)).isEqualTo(utf8("\"é\""));
        assertThat(stream.start(3)).isEqualTo(stream.end(3));
        assertThat(stream.value(3)).isEmpty();
        assertThat(stream.start(4)).isEqualTo(stream.end(3) + 1);
    }

    @Test
    void addedBuffersAreCopiedSoTheReaderMayReuseThemAndTheStreamGrowsAsNeeded() {
        ValueStream stream = new ValueStream(3, 1);
        ByteBuffer reused = ByteBuffer.allocate(64);
        for (String value : new String[] { "first value", "second, longer value", "3" }) {
            reused.clear();
            reused.put(utf8(value)).flip();
            stream.add(reused);
        }

        assertThat(stream.value(0)).isEqualTo(utf8("first value"));
        assertThat(stream.value(1)).isEqualTo(utf8("second, longer value"));
        assertThat(stream.value(2)).isEqualTo(utf8("3"));
    }

    @Test
    void aValueBeyondTheExpectedCountOrAnIndexOutsideIsRefused() {
        ValueStream stream = new ValueStream(1, 8);
        stream.add(null);

        assertThatIllegalStateException().isThrownBy(() -> stream.add(ByteBuffer.wrap(utf8("1"))))
            .withMessageContaining("stream of 1 values got one more");
        assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> stream.isPresent(1));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
