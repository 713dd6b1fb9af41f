package dev.quiver.testsupport;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Quiver's production classes, as ArchUnit sees them, for the architecture tests.
 */
public final class QuiverClasses {

    private QuiverClasses() {
    }

    /**
     * Returns every class under {@code dev.quiver} that is not a test, imported once per test run.
     *
     * @return the imported classes
     */
    public static JavaClasses production() {
        return Imported.CLASSES;
    }

    /** Imports on first use: reading the class files takes about a second. */
    private static final class Imported {

        static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.quiver");
    }
}
