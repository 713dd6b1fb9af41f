/**
 * Local object primitives: {@link dev.quiver.objects.ArrowCache}, a cache that keeps references, and
 * {@link dev.quiver.objects.CloneGenerator}, iteration through deep copies.
 */
@NullMarked
package dev.quiver.objects;

import org.jspecify.annotations.NullMarked;
