/**
 * The Quiver sample: a small game-stats service in which each Quiver primitive does the job it exists for.
 */
@NullMarked
package dev.quiver.sample;

import org.jspecify.annotations.NullMarked;
