package dev.sluice.fault.node;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sluice.jdbc.JdbcJobStore;
import dev.sluice.redis.RedisJobStore;
import dev.sluice.store.JobStore;

import javax.sql.DataSource;

/**
 * A connection to the store under test, opened the way users open theirs: a {@link JdbcJobStore} on a HikariCP
 * pool (schema = the run's prefix), or a {@link RedisJobStore} on a URI (key prefix = the run's prefix). Every
 * finished job is kept, so that the checker can read each job's end. Closing it closes the store and the pool.
 */
public final class StoreClient implements AutoCloseable {

    /** Finished jobs a Redis store keeps for queries: all of them, for the checker. */
    private static final int RETAIN_ALL = 20_000_000;

    private final JobStore store;
    private final HikariDataSource pool;

    private StoreClient(JobStore store, HikariDataSource pool) {
        this.store = store;
        this.pool = pool;
    }

    /**
     * @param kind         "postgres" or "redis"
     * @param url          a JDBC URL (with user) or a Redis URI
     * @param prefix       the PostgreSQL schema or the Redis key prefix of the run
     * @param poolSize     connections of the PostgreSQL pool
     * @param createSchema whether to create the tables (the harness does, once, before nodes start)
     */
    public static StoreClient open(String kind, String url, String prefix, int poolSize, boolean createSchema) {
        return open(kind, url, prefix, poolSize, createSchema, false);
    }

    /**
     * As {@link #open(String, String, String, int, boolean)}; with {@code freezeInTransaction} (PostgreSQL) the JVM
     * stops itself once inside a fenced write's transaction (see {@link FreezeInTransaction}).
     */
    static StoreClient open(String kind, String url, String prefix, int poolSize, boolean createSchema,
                            boolean freezeInTransaction) {
        switch (kind) {
            case "postgres":
                HikariConfig config = new HikariConfig();
                config.setJdbcUrl(url);
                config.setMaximumPoolSize(poolSize);
                config.setPoolName("store-" + prefix);
                HikariDataSource pool = new HikariDataSource(config);
                DataSource source = freezeInTransaction ? FreezeInTransaction.around(pool) : pool;
                try {
                    return new StoreClient(JdbcJobStore.builder(source).schema(prefix).createSchema(createSchema)
                            .build(), pool);
                } catch (RuntimeException e) {
                    pool.close();
                    throw e;
                }
            case "redis":
                return new StoreClient(RedisJobStore.builder().uri(url).keyPrefix(prefix).retainFinished(RETAIN_ALL)
                        .build(), null);
            default:
                throw new IllegalArgumentException("store kind must be 'postgres' or 'redis' but was '" + kind + "'");
        }
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
