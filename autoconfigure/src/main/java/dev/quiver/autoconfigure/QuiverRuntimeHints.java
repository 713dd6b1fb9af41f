package dev.quiver.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The runtime hints Quiver needs in a GraalVM native image whatever the application configures: the Lua scripts of
 * {@link dev.quiver.locks.RedisLock}, read from the class path when the lock is first used.
 */
class QuiverRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        hints.resources().registerPattern("dev/quiver/locks/*.lua");
    }
}
