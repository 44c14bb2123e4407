package dev.sluice.examples.support;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.jdbc.JdbcJobStore;
import dev.sluice.redis.RedisJobStore;
import dev.sluice.store.InMemoryJobStore;
import dev.sluice.store.JobStore;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The store an example runs on, chosen by {@code --store=memory|postgres|redis} (env {@code STORE}), with what it
 * needs to reach the server ({@code --jdbc-url}, {@code --db-user}, {@code --db-password}, {@code --redis-uri}).
 * Closing it closes the store and the connection pool this class made. The examples keep their own tables
 * ({@code sluice_examples_*}) and Redis keys ({@code {sluice-examples:}*}), away from other users of the server.
 */
public final class ExampleStore implements AutoCloseable {

    /** The options {@link #open} reads. */
    public static final Set<String> OPTIONS = Set.of("store", "jdbc-url", "db-user", "db-password", "redis-uri");

    private final String name;
    private final JobStore store;
    private final HikariDataSource pool;

    private ExampleStore(String name, JobStore store, HikariDataSource pool) {
        this.name = name;
        this.store = store;
        this.pool = pool;
    }

    /**
     * Opens the chosen store.
     *
     * @param agingStep  the priority aging step (see {@code dev.sluice.Priority})
     * @param capacity   jobs the in-memory store may hold
     * @param poolSize   connections of the PostgreSQL pool
     */
    public static ExampleStore open(ExampleOptions options, Duration agingStep, int capacity, int poolSize) {
        String kind = options.text("store", "memory").toLowerCase(Locale.ROOT);
        switch (kind) {
            case "memory":
                return new ExampleStore("in-memory", InMemoryJobStore.builder()
                        .agingStep(agingStep).capacity(capacity).build(), null);
            case "postgres":
            case "postgresql":
                return openPostgres(options, agingStep, poolSize);
            case "redis":
                String uri = options.text("redis-uri", "redis://127.0.0.1:6379");
                return new ExampleStore("Redis " + uri, RedisJobStore.builder().uri(uri)
                        .keyPrefix("sluice-examples:").agingStep(agingStep).build(), null);
            default:
                throw new IllegalArgumentException("--store (STORE) must be memory, postgres or redis but was '"
                        + kind + "'");
        }
    }

    private static ExampleStore openPostgres(ExampleOptions options, Duration agingStep, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(options.text("jdbc-url", "jdbc:postgresql://127.0.0.1:5432/test"));
        config.setUsername(options.text("db-user", "postgres"));
        config.setPassword(options.text("db-password", ""));
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("sluice-examples");
        HikariDataSource pool = new HikariDataSource(config);
        try {
            JdbcJobStore store = JdbcJobStore.builder(pool)
                    .tablePrefix("sluice_examples_")
                    .agingStep(agingStep)
                    .createSchema(true)
                    .build();
            return new ExampleStore("PostgreSQL " + config.getJdbcUrl(), store, pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** What to print: "in-memory", "PostgreSQL jdbc:...", "Redis redis://...". */
    public String description() {
        return name;
    }

    public JobStore store() {
        return store;
    }

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }
}
