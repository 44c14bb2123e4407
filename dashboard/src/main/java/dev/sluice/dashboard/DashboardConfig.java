package dev.sluice.dashboard;

import io.micrometer.core.instrument.MeterRegistry;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * How the dashboard listens and who may use it. Immutable; made by {@link #builder()}, validated by
 * {@link Builder#build()}, which throws {@link IllegalArgumentException} naming the setting and the value.
 *
 * <p><b>Secure by default.</b> The dashboard binds {@code 127.0.0.1}; any other address (including the wildcard
 * {@code 0.0.0.0}) is refused unless an {@link DashboardAuthenticator} is set, and there are no default
 * credentials. Every call that changes something needs the session's CSRF token and a same-origin
 * {@code Origin}; {@link Builder#readOnly(boolean) read-only} mode refuses them all.
 */
public final class DashboardConfig {

    private final InetAddress bindAddress;
    private final int port;
    private final DashboardAuthenticator authenticator;
    private final boolean readOnly;
    private final Set<String> allowedOrigins;
    private final Duration sampleInterval;
    private final MeterRegistry meterRegistry;

    private DashboardConfig(Builder b, InetAddress bindAddress) {
        this.bindAddress = bindAddress;
        this.port = b.port;
        this.authenticator = b.authenticator;
        this.readOnly = b.readOnly;
        this.allowedOrigins = Set.copyOf(b.allowedOrigins);
        this.sampleInterval = b.sampleInterval;
        this.meterRegistry = b.meterRegistry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: 127.0.0.1:8090, no authenticator, changes allowed. */
    public static DashboardConfig defaults() {
        return builder().build();
    }

    /** The address the JDK server binds; not used by {@link DashboardServlet}. */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    /** The port the JDK server binds, 0 for any free port. */
    public int port() {
        return port;
    }

    public Optional<DashboardAuthenticator> authenticator() {
        return Optional.ofNullable(authenticator);
    }

    /** True when every call that changes something (retry, cancel, pause...) is refused. */
    public boolean readOnly() {
        return readOnly;
    }

    /** Origins besides the dashboard's own that may make changes (a reverse proxy's public origin). */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** How often throughput and queue depths are sampled for the last-hour charts. */
    public Duration sampleInterval() {
        return sampleInterval;
    }

    /** The engine's meter registry, for exact throughput; empty to estimate it from store counts. */
    public Optional<MeterRegistry> meterRegistry() {
        return Optional.ofNullable(meterRegistry);
    }

    /** Builds a {@link DashboardConfig}; defaults are given per method. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port = 8090;
        private DashboardAuthenticator authenticator;
        private boolean readOnly;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private Duration sampleInterval = Duration.ofSeconds(5);
        private MeterRegistry meterRegistry;

        private Builder() {
        }

        /**
         * The address to listen on. Default {@code 127.0.0.1}. An address that is not a loopback address needs
         * an {@link #authenticator}.
         */
        public Builder bindAddress(String address) {
            this.bindAddress = address;
            return this;
        }

        /** The port, 0 for any free one. Default 8090. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Who may use the dashboard. Default none, which limits it to loopback addresses. */
        public Builder authenticator(DashboardAuthenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** Refuse every change (retry, cancel, reprioritize, pause, resume). Default false. */
        public Builder readOnly(boolean readOnly) {
            this.readOnly = readOnly;
            return this;
        }

        /**
         * An origin ({@code https://jobs.example.com}) besides the request's own host that may make changes:
         * the public origin of a reverse proxy that rewrites {@code Host}. Default none.
         */
        public Builder allowedOrigin(String origin) {
            URI uri;
            try {
                uri = URI.create(origin);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("allowedOrigin must be scheme://host[:port] but was '"
                        + origin + "'", e);
            }
            if (uri.getScheme() == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty())
                    || uri.getQuery() != null || uri.getUserInfo() != null) {
                throw new IllegalArgumentException("allowedOrigin must be scheme://host[:port] but was '"
                        + origin + "'");
            }
            allowedOrigins.add(origin.toLowerCase(Locale.ROOT));
            return this;
        }

        /** How often the charts' samples are taken, 1 s to 60 s; an hour of them is kept. Default 5 s. */
        public Builder sampleInterval(Duration interval) {
            this.sampleInterval = interval;
            return this;
        }

        /**
         * The registry given to {@code Sluice.builder().meterRegistry(...)}: throughput and failure charts then
         * count this node's completed attempts exactly. Default none: they are estimated from the store's counts
         * of finished jobs (whole cluster; low when the store drops finished jobs faster than the samples).
         */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = registry;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad setting */
        public DashboardConfig build() {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535 but was " + port);
            }
            if (sampleInterval == null || sampleInterval.compareTo(Duration.ofSeconds(1)) < 0
                    || sampleInterval.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("sampleInterval must be 1 s to 60 s but was " + sampleInterval);
            }
            InetAddress address = resolve(bindAddress);
            if (!address.isLoopbackAddress() && authenticator == null) {
                throw new IllegalArgumentException("bindAddress " + bindAddress + " is not a loopback address: "
                        + "set an authenticator (DashboardAuthenticator.basic(...), bearerToken(...)) to listen "
                        + "on it; the dashboard has no default credentials");
            }
            return new DashboardConfig(this, address);
        }

        private static InetAddress resolve(String host) {
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("bindAddress must be a host name or IP address but was "
                        + (host == null ? "null" : "'" + host + "'"));
            }
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bindAddress '" + host + "' does not resolve", e);
            }
        }
    }
}
