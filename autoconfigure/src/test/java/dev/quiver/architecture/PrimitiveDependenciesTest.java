package dev.quiver.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import dev.quiver.testsupport.QuiverClasses;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Keeps the primitives usable without Spring Boot: the packages {@code dev.quiver.objects}, {@code locks} and
 * {@code dicts} may use Spring Data Redis, Lettuce and Micrometer, never Spring Boot or Quiver's auto-configuration.
 */
class PrimitiveDependenciesTest {

    private static final String[] PRIMITIVE_PACKAGES = { "dev.quiver.objects..", "dev.quiver.locks..",
            "dev.quiver.dicts.." };

    private final JavaClasses quiver = QuiverClasses.production();

    @Test
    void primitivesDoNotDependOnTheAutoConfiguration() {
        noClasses().that()
            .resideInAnyPackage(PRIMITIVE_PACKAGES)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("dev.quiver.autoconfigure..")
            .because("the primitives must work in any application, configured by hand")
            .check(quiver);
    }

    @Test
    void primitivesDoNotDependOnSpringBoot() {
        noClasses().that()
            .resideInAnyPackage(PRIMITIVE_PACKAGES)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("org.springframework.boot..")
            .because("the primitives must work without Spring Boot")
            .check(quiver);
    }

    @Test
    void localObjectsDoNotDependOnRedis() {
        noClasses().that()
            .resideInAPackage("dev.quiver.objects..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework.data.redis..", "io.lettuce..")
            .because("ArrowCache and CloneGenerator are local and must not pull a Redis client")
            .check(quiver);
    }
}
