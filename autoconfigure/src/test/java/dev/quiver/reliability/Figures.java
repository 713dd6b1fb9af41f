package dev.quiver.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reports the figures of a reliability scenario: one line {@code [reliability] scenario N: ...} on standard output
 * (where the surefire output shows it) and the same line appended to {@code target/reliability-figures.txt}, from
 * which {@code docs/RELIABILITY.md} is brought up to date after a run.
 */
final class Figures {

    private static final Path FILE = Path.of("target", "reliability-figures.txt");

    private Figures() {
    }

    static void report(int scenario, String format, Object... args) {
        String line = "[reliability] scenario " + scenario + ": " + String.format(java.util.Locale.ROOT, format, args);
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
