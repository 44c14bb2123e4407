package dev.sluice.jdbc.internal;

/**
 * The quoted, schema-qualified names of one store's tables. The schema and the prefix were checked against
 * {@code ^[a-z_][a-z0-9_]{0,62}$} before they got here, so quoting them is enough to make them safe in SQL.
 */
public final class Tables {

    private final String schema;
    private final String prefix;
    private final String qualifier;
    private final String job;
    private final String progress;
    private final String result;
    private final String pause;
    private final String edge;
    private final String waitCounter;
    private final String history;
    private final String scheduleFire;
    private final String leader;
    private final String node;
    private final String uniqueOption;
    private final String uniqueHold;
    private final String resultCache;
    private final String rateWindow;
    private final String tokenSequence;
    private final String tokenCounter;
    private final String channel;

    public Tables(Dialect dialect, String schema, String prefix) {
        this.schema = schema;
        this.prefix = prefix;
        this.qualifier = schema == null ? "" : dialect.quote(schema) + ".";
        this.job = qualifier + dialect.quote(prefix + "job");
        this.progress = qualifier + dialect.quote(prefix + "job_progress");
        this.result = qualifier + dialect.quote(prefix + "job_result");
        this.pause = qualifier + dialect.quote(prefix + "queue_pause");
        this.edge = qualifier + dialect.quote(prefix + "job_edge");
        this.waitCounter = qualifier + dialect.quote(prefix + "job_wait");
        this.history = qualifier + dialect.quote(prefix + "job_history");
        this.scheduleFire = qualifier + dialect.quote(prefix + "schedule_fire");
        this.leader = qualifier + dialect.quote(prefix + "leader");
        this.node = qualifier + dialect.quote(prefix + "node");
        this.uniqueOption = qualifier + dialect.quote(prefix + "job_unique");
        this.uniqueHold = qualifier + dialect.quote(prefix + "unique_hold");
        this.resultCache = qualifier + dialect.quote(prefix + "result_cache");
        this.rateWindow = qualifier + dialect.quote(prefix + "rate_window");
        this.tokenSequence = qualifier + dialect.quote(prefix + "fencing_token_seq");
        this.tokenCounter = qualifier + dialect.quote(prefix + "fencing_token");
        String channelName = (schema == null ? "" : schema + "_") + prefix + "work";
        this.channel = dialect.quote(channelName.length() > 63 ? channelName.substring(0, 63) : channelName);
    }

    public String schema() {
        return schema;
    }

    public String prefix() {
        return prefix;
    }

    public String job() {
        return job;
    }

    public String progress() {
        return progress;
    }

    public String result() {
        return result;
    }

    public String pause() {
        return pause;
    }

    /** Dependency edges: (parent, child, position, on_failure, settled). */
    public String edge() {
        return edge;
    }

    /** Per WAITING job, how many parents it still waits for. */
    public String waitCounter() {
        return waitCounter;
    }

    public String history() {
        return history;
    }

    public String scheduleFire() {
        return scheduleFire;
    }

    public String leader() {
        return leader;
    }

    public String node() {
        return node;
    }

    /** Unique-key scope and hold of the jobs that asked for one. */
    public String uniqueOption() {
        return uniqueOption;
    }

    /** Keys held on after success, until when. */
    public String uniqueHold() {
        return uniqueHold;
    }

    /** Second level of the result cache: (type, key_hash, null_result, result, expires_at). */
    public String resultCache() {
        return resultCache;
    }

    /** Shared rate limits: (limit_name, window_start, used, last_granted). */
    public String rateWindow() {
        return rateWindow;
    }

    /** The sequence of fencing tokens (PostgreSQL, H2), quoted for use inside SQL text. */
    public String tokenSequence() {
        return tokenSequence;
    }

    /** The counter row of fencing tokens (MariaDB/MySQL). */
    public String tokenCounter() {
        return tokenCounter;
    }

    /** The LISTEN/NOTIFY channel, quoted. */
    public String channel() {
        return channel;
    }
}
