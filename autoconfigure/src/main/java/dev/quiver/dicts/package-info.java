/**
 * Default dicts: {@link dev.quiver.dicts.MultiDefaultDict} in memory and {@link dev.quiver.dicts.RedisDefaultDict}
 * on Redis, with batched reads and writes described by {@link dev.quiver.dicts.DictOp}.
 */
@NullMarked
package dev.quiver.dicts;

import org.jspecify.annotations.NullMarked;
