package dev.sluice.fault.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free loopback port in front of a server: nodes connect to it instead of the server, and a
 * scenario {@linkplain #dropAll() resets every connection} at once (RST, as a router or firewall that forgets its
 * state), or {@linkplain #refuseNewConnections refuses} new ones for a while. Two threads per connection copy the
 * bytes. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int targetPort;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean refusing;
    private volatile boolean closed;

    private TcpProxy(ServerSocket server, int targetPort) {
        this.server = server;
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to 127.0.0.1:{@code targetPort}. */
    public static TcpProxy to(int targetPort) {
        try {
            return new TcpProxy(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()), targetPort);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy port: " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Resets every open connection (both sides see a connection reset). Returns how many there were. */
    public int dropAll() {
        int n = 0;
        for (Link link : links) {
            link.reset();
            n++;
        }
        dropped.addAndGet(n);
        return n;
    }

    /** While true, connections are reset as soon as they are accepted. */
    public void refuseNewConnections(boolean refuse) {
        this.refusing = refuse;
    }

    /** Connections reset by {@link #dropAll} and by refusal so far. */
    public long dropped() {
        return dropped.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            if (refusing) {
                dropped.incrementAndGet();
                resetQuietly(client);
                continue;
            }
            try {
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                Link link = new Link(client, upstream);
                links.add(link);
                link.start();
            } catch (IOException e) {
                resetQuietly(client);
            }
        }
    }

    private static void resetQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        dropAll();
    }

    /** One proxied connection: a client socket, its upstream socket and the two copying threads. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() {
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[16 * 1024];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) != -1) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (SocketException e) {
                    // reset or closed: the link ends
                } catch (IOException e) {
                    // the link ends
                } finally {
                    reset();
                }
            }, "tcp-proxy-" + direction + "-" + from.getPort());
            thread.setDaemon(true);
            thread.start();
        }

        void reset() {
            if (links.remove(this)) {
                resetQuietly(client);
                resetQuietly(upstream);
            }
        }
    }
}
