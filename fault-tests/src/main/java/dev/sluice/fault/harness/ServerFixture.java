package dev.sluice.fault.harness;

/**
 * What the store fixtures share: the TCP proxy that a scenario may put between the nodes and the server, and
 * closing it with the server.
 */
abstract class ServerFixture implements StoreFixture {

    private TcpProxy proxy;

    /** The loopback port the server listens on. */
    abstract int serverPort();

    /** Stops the server and deletes its files. */
    abstract void closeServer();

    /** The port nodes connect to: the proxy's once one is open, else the server's. */
    final int nodePort() {
        return proxy == null ? serverPort() : proxy.port();
    }

    @Override
    public final TcpProxy openProxy() {
        if (proxy == null) {
            proxy = TcpProxy.to(serverPort());
        }
        return proxy;
    }

    @Override
    public final void close() {
        try {
            if (proxy != null) {
                proxy.close();
            }
        } finally {
            closeServer();
        }
    }
}
