package dev.quiver.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy between Redis clients and a real redis-server that injects network faults: it can drop a connection
 * right after a request passed (so Redis runs the command but its reply is lost), delay replies, black-hole traffic
 * both ways, and reset every connection. Close it to stop it and cut every connection.
 */
final class FaultProxy implements AutoCloseable {

    private final ServerSocket server;

    private final int upstreamPort;

    private final Set<Link> links = ConcurrentHashMap.newKeySet();

    private final Thread acceptor;

    private volatile long replyDelayMillis;

    private volatile boolean blackHole;

    private final AtomicBoolean dropAfterNextRequest = new AtomicBoolean();

    private volatile boolean closed;

    FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "fault-proxy-accept-" + this.server.getLocalPort());
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** The port clients connect to. */
    int port() {
        return this.server.getLocalPort();
    }

    /** Holds every reply back this long (0: none). */
    void delayReplies(long millis) {
        this.replyDelayMillis = millis;
    }

    /** Swallows all traffic both ways while on; connections stay open. */
    void blackHole(boolean on) {
        this.blackHole = on;
    }

    /** Drops the connection that carries the next request, right after passing that request on. */
    void dropAfterNextRequest() {
        this.dropAfterNextRequest.set(true);
    }

    /** Resets every connection (RST, not FIN). */
    void resetAll() {
        for (Link link : this.links) {
            link.close(true);
        }
    }

    private void accept() {
        while (!this.closed) {
            try {
                Socket client = this.server.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.upstreamPort);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Link link = new Link(client, upstream);
                this.links.add(link);
                link.start();
            }
            catch (IOException ex) {
                // closed, or the server is down: the client sees its connection fail and reconnects
            }
        }
    }

    @Override
    public void close() {
        this.closed = true;
        try {
            this.server.close();
        }
        catch (IOException ex) {
            // closing anyway
        }
        resetAll();
    }

    /** One client connection and its connection to Redis, pumped by two threads. */
    private final class Link {

        private final Socket client;

        private final Socket upstream;

        private final AtomicBoolean open = new AtomicBoolean(true);

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            Thread requests = new Thread(this::pumpRequests, "fault-proxy-requests");
            Thread replies = new Thread(this::pumpReplies, "fault-proxy-replies");
            requests.setDaemon(true);
            replies.setDaemon(true);
            requests.start();
            replies.start();
        }

        private void pumpRequests() {
            byte[] buffer = new byte[16384];
            try (InputStream in = this.client.getInputStream(); OutputStream out = this.upstream.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (FaultProxy.this.blackHole) {
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                    if (FaultProxy.this.dropAfterNextRequest.compareAndSet(true, false)) {
                        // the client loses the connection now; Redis gets a moment to run the request, whose reply
                        // goes nowhere
                        this.client.close();
                        Thread.sleep(50);
                        close(false);
                        return;
                    }
                }
            }
            catch (IOException ex) {
                // the other side closed
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            close(false);
        }

        private void pumpReplies() {
            byte[] buffer = new byte[16384];
            try (InputStream in = this.upstream.getInputStream(); OutputStream out = this.client.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (FaultProxy.this.blackHole) {
                        continue;
                    }
                    long delay = FaultProxy.this.replyDelayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ex) {
                // the other side closed
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            close(false);
        }

        void close(boolean reset) {
            if (!this.open.compareAndSet(true, false)) {
                return;
            }
            FaultProxy.this.links.remove(this);
            for (Socket socket : new Socket[] { this.client, this.upstream }) {
                try {
                    if (reset && !socket.isClosed()) {
                        socket.setSoLinger(true, 0);
                    }
                    socket.close();
                }
                catch (IOException ex) {
                    // closing anyway
                }
            }
        }
    }
}
