package dev.quiver.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running one of this package's {@code main} classes on the test class path, with the running java.
 * Its standard output and error go to a log file the test can read; closing it kills the process (SIGKILL) if it
 * still runs and deletes the log.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;

    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code main} with {@code args} in a new JVM.
     */
    static ChildJvm start(Class<?> main, String... args) {
        String java = ProcessHandle.current().info().command().orElseThrow(
                () -> new IllegalStateException("Cannot tell which java runs the tests"));
        // small, quick-starting JVMs: the machine's two cores are shared with the test JVM and the other children
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile("quiver-child-", ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
            return new ChildJvm(process, log);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Could not start a JVM for " + main.getName(), ex);
        }
    }

    Process process() {
        return this.process;
    }

    /**
     * Waits for the process to exit and returns its exit code, or fails with its output when it takes too long.
     */
    int awaitExit(long seconds) throws InterruptedException {
        if (!this.process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("Child JVM " + this.process.pid() + " still runs after " + seconds + " s; its "
                    + "output:\n" + output());
        }
        return this.process.exitValue();
    }

    /**
     * Kills the process with SIGKILL, as a crash would, and waits for it to be gone.
     */
    void kill() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor(10, TimeUnit.SECONDS);
    }

    String output() {
        try {
            return Files.readString(this.log, StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            return "(no output: " + ex + ")";
        }
    }

    @Override
    public void close() {
        if (this.process.isAlive()) {
            this.process.destroyForcibly();
            try {
                this.process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(this.log);
        }
        catch (IOException ex) {
            // a left-over log in the temporary directory is harmless
        }
    }
}
