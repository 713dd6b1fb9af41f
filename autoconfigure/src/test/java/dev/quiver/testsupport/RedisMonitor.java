package dev.quiver.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commands a Redis server runs, as {@code MONITOR} reports them, each as its list of arguments; for asserting
 * what a client sent rather than only what it left behind. Close it to stop listening.
 */
public final class RedisMonitor implements AutoCloseable {

    private static final Pattern ARGUMENT = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Socket socket;

    private final List<List<String>> commands = new ArrayList<>();

    private final BufferedReader lines;

    private final Thread reader;

    private RedisMonitor(Socket socket, BufferedReader lines) {
        this.socket = socket;
        this.lines = lines;
        this.reader = new Thread(this::read, "redis-monitor");
        this.reader.setDaemon(true);
    }

    /**
     * Starts listening to every command the server runs from now on.
     *
     * @param endpoint the server (no password)
     * @return the monitor, listening once this returns
     */
    public static RedisMonitor start(RedisEndpoint endpoint) {
        try {
            Socket socket = new Socket(endpoint.host(), endpoint.port());
            OutputStream out = socket.getOutputStream();
            out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String ok = in.readLine();
            if (!"+OK".equals(ok)) {
                socket.close();
                throw new IllegalStateException("MONITOR answered " + ok);
            }
            RedisMonitor monitor = new RedisMonitor(socket, in);
            monitor.reader.start();
            return monitor;
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not monitor " + endpoint, ex);
        }
    }

    /**
     * Returns the commands seen so far, each as its arguments (the command's name first, as the client spelled it).
     *
     * @return a copy of the commands seen
     */
    public synchronized List<List<String>> commands() {
        return new ArrayList<>(this.commands);
    }

    private void read() {
        try {
            String line;
            while ((line = this.lines.readLine()) != null) {
                List<String> arguments = new ArrayList<>();
                Matcher matcher = ARGUMENT.matcher(line);
                while (matcher.find()) {
                    arguments.add(matcher.group(1));
                }
                synchronized (this) {
                    this.commands.add(arguments);
                }
            }
        }
        catch (IOException ex) {
            // closed
        }
    }

    @Override
    public void close() {
        try {
            this.socket.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
    }
}
