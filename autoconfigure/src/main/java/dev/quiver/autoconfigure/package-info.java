/**
 * Spring Boot auto-configuration of Quiver: {@code quiver.*} properties, named beans, meters and start-up checks.
 */
@NullMarked
package dev.quiver.autoconfigure;

import org.jspecify.annotations.NullMarked;
