package dev.quiver.locks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of {@link RedisLock}, loaded once per JVM and run by their SHA-1 ({@code EVALSHA}), falling back to
 * {@code EVAL} (which also caches the script on the server) when the server does not know them yet, e.g. after a
 * restart or on a cluster node that has not run them.
 */
final class RedisLockScripts {

    /** The functions over the fence key that several scripts share, put in front of each. */
    private static final String LIBRARY = "fence.lua";

    /**
     * Take-if-free for one try, giving it a fencing token; answers the same when run again: the fencing token, or 0
     * when another token holds the key.
     */
    static final Script ACQUIRE = load("acquire.lua");

    /**
     * Compare-and-delete, then the wake-up command it is given ({@code PUBLISH}, or {@code SPUBLISH} on Redis Cluster)
     * to the key's channel: 1 released (also when run again), 0 not owned.
     */
    static final Script RELEASE = load("release.lua");

    /**
     * Compare-and-hand-over to the releasing process's next waiter, or compare-and-delete when another process
     * listens for releases: the next waiter's fencing token (&gt; 0) passed, -1 released, 0 not owned; answers the same
     * when run again. Not for Redis Cluster.
     */
    static final Script PASS = load("pass.lua");

    /**
     * Compare-and-pexpire adding to the remaining lifetime, once per call id: 1 extended, 0 not owned, -1 no expiry.
     */
    static final Script EXTEND = load("extend.lua");

    /** Compare-and-pexpire to the key's full lifetime, for lease renewal: 1 renewed, 0 not owned. */
    static final Script RENEW = load("renew.lua");

    private RedisLockScripts() {
    }

    /**
     * Runs a script on the lock key and its fence key.
     */
    static CompletableFuture<Long> run(RedisClusterAsyncCommands<byte[], byte[]> commands, Script script,
            byte[] key, byte[] fenceKey, byte[]... args) {
        byte[][] keys = { key, fenceKey };
        CompletableFuture<Long> bySha = commands.<Long>evalsha(script.sha1(), ScriptOutputType.INTEGER, keys, args)
            .toCompletableFuture();
        return bySha.exceptionallyCompose((ex) -> {
            if (unwrap(ex) instanceof RedisNoScriptException) {
                return commands.<Long>eval(script.text(), ScriptOutputType.INTEGER, keys, args)
                    .toCompletableFuture();
            }
            return CompletableFuture.failedFuture(unwrap(ex));
        });
    }

    static Throwable unwrap(Throwable ex) {
        Throwable cause = ex;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Reads a script and puts the fence key's shared functions ({@code fence.lua}) in front of it. */
    private static Script load(String name) {
        try {
            String text = read(LIBRARY) + "\n" + read(name);
            // Spring's script computes the SHA-1 the server will know it by; keep both, so no call re-reads them
            RedisScript<Long> script = RedisScript.of(text, Long.class);
            return new Script(script.getSha1(), script.getScriptAsString());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not read the lock script " + name, ex);
        }
    }

    private static String read(String name) throws IOException {
        return new ClassPathResource(name, RedisLockScripts.class).getContentAsString(StandardCharsets.UTF_8);
    }

    /**
     * A script's text and the SHA-1 that {@code EVALSHA} runs it by.
     */
    record Script(String sha1, String text) {
    }
}
