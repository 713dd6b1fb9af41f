/**
 * Awaitable locks: {@link dev.quiver.locks.SealLock} inside one JVM and {@link dev.quiver.locks.RedisLock}
 * across processes, both behind {@link dev.quiver.locks.AsyncLock}.
 */
@NullMarked
package dev.quiver.locks;

import org.jspecify.annotations.NullMarked;
