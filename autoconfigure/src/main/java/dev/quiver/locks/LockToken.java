package dev.quiver.locks;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The random value a {@link RedisLock} acquisition stores in the lock key to prove ownership: 128 bits from a
 * {@link SecureRandom}, as 32 lowercase hex characters.
 */
final class LockToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final byte[] bytes;

    private LockToken(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Draws a new token.
     */
    static LockToken next() {
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        byte[] hex = new byte[32];
        for (int i = 0; i < random.length; i++) {
            hex[2 * i] = HEX[(random[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[random[i] & 0xf];
        }
        return new LockToken(hex);
    }

    /**
     * Returns the token as it is stored in Redis (ASCII hex); the array is shared, do not modify it.
     */
    byte[] bytes() {
        return this.bytes;
    }

    /**
     * Tells whether a value read from the lock key is this token.
     */
    boolean matches(byte[] value) {
        return java.util.Arrays.equals(this.bytes, value);
    }

    @Override
    public String toString() {
        return new String(this.bytes, StandardCharsets.US_ASCII);
    }
}
