package dev.quiver.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends single commands to a Redis over a plain socket, for the harness's own start-up checks and clean-ups, so
 * that the harness does not depend on the client under test.
 */
final class RedisProbe {

    private static final int SOCKET_TIMEOUT_MILLIS = 2_000;

    private RedisProbe() {
    }

    /**
     * Sends one command to the endpoint (after {@code AUTH} and {@code SELECT} where it needs them) and returns the
     * first line of the reply.
     */
    static String command(RedisEndpoint endpoint, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            BufferedReader in = send(socket, endpoint, args);
            String reply = in.readLine();
            if (reply == null) {
                throw new IOException("Connection closed by " + endpoint.host() + ":" + endpoint.port());
            }
            if (reply.startsWith("$") && !reply.equals("$-1")) {
                return in.readLine();
            }
            return reply;
        }
    }

    /** Connects, authenticates and selects as the endpoint needs, sends the command and returns the reply's reader. */
    private static BufferedReader send(Socket socket, RedisEndpoint endpoint, String... args) throws IOException {
        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), SOCKET_TIMEOUT_MILLIS);
        socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
        OutputStream out = socket.getOutputStream();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        if (endpoint.password() != null) {
            expectOk(out, in, endpoint, List.of("AUTH", endpoint.password()));
        }
        if (endpoint.database() != 0) {
            expectOk(out, in, endpoint, List.of("SELECT", String.valueOf(endpoint.database())));
        }
        out.write(encode(List.of(args)));
        out.flush();
        return in;
    }

    /**
     * Sends one command whose reply is a flat array (of bulk strings and integers) and returns its elements as text;
     * an error reply fails.
     */
    static List<String> array(RedisEndpoint endpoint, String... args) throws IOException {
        try (Socket socket = new Socket()) {
            BufferedReader in = send(socket, endpoint, args);
            String header = in.readLine();
            if (header == null || !header.startsWith("*")) {
                throw new IOException(args[0] + " answered " + header + ", not an array");
            }
            List<String> elements = new ArrayList<>();
            for (int i = Integer.parseInt(header.substring(1)); i > 0; i--) {
                String element = in.readLine();
                if (element == null) {
                    throw new IOException("Connection closed by " + endpoint.host() + ":" + endpoint.port());
                }
                elements.add(element.startsWith("$") ? in.readLine() : element.substring(1));
            }
            return elements;
        }
    }

    /** Tells whether a Redis answers at the address (a {@code NOAUTH} error also counts as an answer). */
    static boolean answers(String host, int port) {
        try {
            String reply = command(new RedisEndpoint(host, port, null, 0), "PING");
            return reply.startsWith("+PONG") || reply.startsWith("-NOAUTH");
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static void expectOk(OutputStream out, BufferedReader in, RedisEndpoint endpoint, List<String> command)
            throws IOException {
        out.write(encode(command));
        out.flush();
        String reply = in.readLine();
        if (reply == null || !reply.startsWith("+OK")) {
            // the reply, not the command: the command may hold the password
            throw new IOException(command.get(0) + " refused by " + endpoint + ": " + reply);
        }
    }

    private static byte[] encode(List<String> args) {
        StringBuilder resp = new StringBuilder("*").append(args.size()).append("\r\n");
        for (String arg : args) {
            resp.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
        }
        return resp.toString().getBytes(StandardCharsets.UTF_8);
    }
}
