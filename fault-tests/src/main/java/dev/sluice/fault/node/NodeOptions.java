package dev.sluice.fault.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * What one node JVM does, passed as {@code -Dfault.*} system properties: the harness builds them with
 * {@link #builder()}, the node reads them with {@link #from(Properties)}. Immutable.
 */
public final class NodeOptions {

    /** What a node JVM is. */
    public enum Role {
        /** Runs jobs until SIGTERM (graceful close) or a kill. */
        WORKER,
        /** Submits {@code submitCount} jobs and exits. */
        PRODUCER
    }

    private static final String P = "fault.";

    private final Map<String, String> values;

    private NodeOptions(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads the options from system properties; throws naming a missing or bad one. */
    public static NodeOptions from(Properties properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(P)) {
                values.put(name.substring(P.length()), properties.getProperty(name));
            }
        }
        NodeOptions options = new NodeOptions(values);
        options.nodeId();
        options.storeKind();
        options.storeUrl();
        options.storePrefix();
        options.ledgerUrl();
        return options;
    }

    /** The -D arguments of a node JVM. */
    public List<String> jvmArguments() {
        List<String> args = new ArrayList<>();
        values.forEach((k, v) -> args.add("-D" + P + k + "=" + v));
        return args;
    }

    public String nodeId() {
        return required("node");
    }

    public Role role() {
        return Role.valueOf(values.getOrDefault("role", "WORKER"));
    }

    public String storeKind() {
        return required("store");
    }

    public String storeUrl() {
        return required("store.url");
    }

    public String storePrefix() {
        return required("store.prefix");
    }

    public String ledgerUrl() {
        return required("ledger.url");
    }

    public int concurrency() {
        return number("concurrency", 8);
    }

    public int claimAhead() {
        return number("claimAhead", 0);
    }

    public int leaseMillis() {
        return number("leaseMs", 2_000);
    }

    public int recoveryMillis() {
        return number("recoveryMs", 1_000);
    }

    public int pollMillis() {
        return number("pollMs", 250);
    }

    public int drainMillis() {
        return number("drainMs", 10_000);
    }

    public int poolSize() {
        return number("pool", concurrency() + 4);
    }

    public int maxAttempts() {
        return number("maxAttempts", 3);
    }

    public long clockSkewMillis() {
        return Long.parseLong(values.getOrDefault("clockSkewMs", "0"));
    }

    /** How long every completion write of the node takes at least (a slow store), 0 for no delay. */
    public int slowWritesMillis() {
        return number("slowWritesMs", 0);
    }

    /** Whether the node stops its own JVM once inside a store transaction (PostgreSQL; see FreezeInTransaction). */
    public boolean freezeInTransaction() {
        return Boolean.parseBoolean(values.getOrDefault("freezeInTransaction", "false"));
    }

    /** The crash point and the n-th time it fires, or null for none. */
    public String crash() {
        return values.get("crash");
    }

    public long submitFrom() {
        return Long.parseLong(values.getOrDefault("submit.from", "0"));
    }

    public int submitCount() {
        return number("submit.count", 0);
    }

    public int submitBatch() {
        return number("submit.batch", 100);
    }

    public int submitWorkMillis() {
        return number("submit.workMs", 0);
    }

    /** Whether submitted jobs carry the unique key "key-(seq)". */
    public boolean submitUniqueKeys() {
        return Boolean.parseBoolean(values.getOrDefault("submit.uniqueKeys", "false"));
    }

    /** Seed of the order in which a producer submits its numbers; 0 keeps them in order. */
    public long submitShuffleSeed() {
        return Long.parseLong(values.getOrDefault("submit.shuffleSeed", "0"));
    }

    private String required(String name) {
        String value = values.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("node option -D" + P + name + " is required");
        }
        return value;
    }

    private int number(String name, int defaultValue) {
        String value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node option -D" + P + name + " must be a whole number but was '"
                    + value + "'", e);
        }
    }

    /** Builds options; unset ones take the defaults of the getters. Not thread-safe. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder set(String name, Object value) {
            values.put(name, String.valueOf(value));
            return this;
        }

        public Builder nodeId(String id) {
            return set("node", id);
        }

        public Builder role(Role role) {
            return set("role", role.name());
        }

        public Builder store(String kind, String url, String prefix) {
            return set("store", kind).set("store.url", url).set("store.prefix", prefix);
        }

        public Builder ledgerUrl(String url) {
            return set("ledger.url", url);
        }

        public Builder concurrency(int n) {
            return set("concurrency", n);
        }

        public Builder claimAhead(int n) {
            return set("claimAhead", n);
        }

        public Builder leaseMillis(int ms) {
            return set("leaseMs", ms);
        }

        public Builder recoveryMillis(int ms) {
            return set("recoveryMs", ms);
        }

        public Builder drainMillis(int ms) {
            return set("drainMs", ms);
        }

        public Builder maxAttempts(int n) {
            return set("maxAttempts", n);
        }

        public Builder clockSkewMillis(long ms) {
            return set("clockSkewMs", ms);
        }

        public Builder slowWritesMillis(int ms) {
            return set("slowWritesMs", ms);
        }

        public Builder freezeInTransaction() {
            return set("freezeInTransaction", true);
        }

        public Builder crash(CrashPoint point, int nth) {
            return set("crash", point.text() + "@" + nth);
        }

        public Builder submit(long from, int count, int batch, int workMillis) {
            return role(Role.PRODUCER).set("submit.from", from).set("submit.count", count).set("submit.batch", batch)
                    .set("submit.workMs", workMillis);
        }

        public Builder uniqueKeys(long shuffleSeed) {
            return set("submit.uniqueKeys", true).set("submit.shuffleSeed", shuffleSeed);
        }

        /** A copy to vary (another node id, another role) without touching this one. */
        public Builder copy() {
            Builder copy = new Builder();
            copy.values.putAll(values);
            return copy;
        }

        public NodeOptions build() {
            return new NodeOptions(values);
        }
    }
}
