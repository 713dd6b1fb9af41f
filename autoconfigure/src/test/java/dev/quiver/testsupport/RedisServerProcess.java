package dev.quiver.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * A throw-away {@code redis-server} process of a test's own, on a free loopback port: start it, stop it, kill it
 * with SIGKILL, pause it with SIGSTOP, and restart it on the same port. Closing it kills the process and deletes its
 * working directory. It keeps nothing on disk unless it runs as a cluster node.
 */
public final class RedisServerProcess implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final int port;

    private final @Nullable String password;

    private final List<String> extraArgs;

    private final Path workDir;

    private @Nullable Process process;

    private RedisServerProcess(int port, @Nullable String password, List<String> extraArgs) {
        this.port = port;
        this.password = password;
        this.extraArgs = List.copyOf(extraArgs);
        try {
            this.workDir = Files.createTempDirectory("quiver-redis-" + port + "-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Tells whether a {@code redis-server} binary is on the {@code PATH}.
     *
     * @return {@code true} if one is
     */
    public static boolean isAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts a server on a free port with no password.
     *
     * @return the running server
     */
    public static RedisServerProcess start() {
        return start(null);
    }

    /**
     * Starts a server on a free port that requires {@code password} ({@code requirepass}).
     *
     * @param password the password, or {@code null} for none
     * @param extraArgs further {@code redis-server} arguments, e.g. {@code "--cluster-enabled", "yes"}
     * @return the running server
     */
    public static RedisServerProcess start(@Nullable String password, String... extraArgs) {
        RuntimeException lastFailure = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            RedisServerProcess server = new RedisServerProcess(freePort(), password, List.of(extraArgs));
            try {
                server.startProcess();
                return server;
            }
            catch (RuntimeException ex) {
                // another process may have taken the free port between probing and binding: try another one
                server.close();
                lastFailure = ex;
            }
        }
        throw lastFailure;
    }

    /**
     * Returns the port the server listens on (kept across restarts).
     *
     * @return the port
     */
    public int port() {
        return this.port;
    }

    /**
     * Returns the endpoint of this server (database 0).
     *
     * @return the endpoint
     */
    public RedisEndpoint endpoint() {
        return new RedisEndpoint("127.0.0.1", this.port, this.password, 0);
    }

    /**
     * Returns the operating-system process id of the running server.
     *
     * @return the pid
     * @throws IllegalStateException if the server is not running
     */
    public long pid() {
        return running().pid();
    }

    /**
     * Tells whether the server process is alive.
     *
     * @return {@code true} while it runs
     */
    public boolean isRunning() {
        return this.process != null && this.process.isAlive();
    }

    /**
     * Stops the server gracefully (SIGTERM) and waits for it to exit.
     */
    public void stop() {
        Process running = this.process;
        if (running != null && running.isAlive()) {
            running.destroy();
            awaitExit(running);
        }
        this.process = null;
    }

    /**
     * Kills the server with SIGKILL, as a crash would, and waits for it to exit.
     */
    public void kill() {
        Process running = this.process;
        if (running != null && running.isAlive()) {
            running.destroyForcibly();
            awaitExit(running);
        }
        this.process = null;
    }

    /**
     * Freezes the server with SIGSTOP: connections stay open but nothing is answered.
     */
    public void pause() {
        signal("STOP");
    }

    /**
     * Lets a paused server run again (SIGCONT).
     */
    public void resume() {
        signal("CONT");
    }

    /**
     * Starts the server again on the same port (after {@link #stop()} or {@link #kill()}), with an empty keyspace.
     */
    public void restart() {
        if (isRunning()) {
            stop();
        }
        startProcess();
    }

    /**
     * Sends one command and returns the first line of the reply (e.g. {@code "+OK"}, {@code ":3"}, a bulk string).
     *
     * @param args the command and its arguments
     * @return the first line of the reply
     */
    public String command(String... args) {
        try {
            return RedisProbe.command(endpoint(), args);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Redis on port " + this.port + " did not answer " + args[0], ex);
        }
    }

    /**
     * Sends one command whose reply is a flat array (e.g. {@code CLUSTER GETKEYSINSLOT}, {@code PUBSUB SHARDNUMSUB})
     * and returns its elements as text.
     *
     * @param args the command and its arguments
     * @return the reply's elements, bulk strings as they are and integers as decimal text
     */
    public List<String> array(String... args) {
        try {
            return RedisProbe.array(endpoint(), args);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Redis on port " + this.port + " did not answer " + args[0], ex);
        }
    }

    /**
     * Kills the server if it runs and deletes its working directory.
     */
    @Override
    public void close() {
        kill();
        try (var files = Files.walk(this.workDir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
        }
        catch (IOException ex) {
            // a left-over temporary directory is harmless
        }
    }

    @Override
    public String toString() {
        return "redis-server on 127.0.0.1:" + this.port + (isRunning() ? " (pid " + pid() + ")" : " (stopped)");
    }

    private void startProcess() {
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(this.port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.workDir.toString(),
                "--daemonize", "no", "--loglevel", "warning"));
        if (this.password != null) {
            command.addAll(List.of("--requirepass", this.password));
        }
        command.addAll(this.extraArgs);
        try {
            this.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(this.workDir.resolve("redis.log").toFile())
                .start();
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not run redis-server (is it on the PATH?): " + ex.getMessage(), ex);
        }
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!RedisProbe.answers("127.0.0.1", this.port)) {
            if (!this.process.isAlive() || System.nanoTime() > deadline) {
                String log = readLog();
                kill();
                throw new IllegalStateException("redis-server did not start on port " + this.port + ": " + log);
            }
            Pause.millis(20);
        }
    }

    private Process running() {
        Process running = this.process;
        if (running == null || !running.isAlive()) {
            throw new IllegalStateException("redis-server on port " + this.port + " is not running");
        }
        return running;
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid() + " failed");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private String readLog() {
        try {
            return Files.readString(this.workDir.resolve("redis.log")).strip();
        }
        catch (IOException ex) {
            return "(no log)";
        }
    }

    private static void awaitExit(Process process) {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No free port", ex);
        }
    }
}
