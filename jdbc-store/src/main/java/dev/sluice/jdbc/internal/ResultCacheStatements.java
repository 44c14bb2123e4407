package dev.sluice.jdbc.internal;

import dev.sluice.SluiceException;
import dev.sluice.store.ResultCacheStore.CachedResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared result cache ({@code ResultCacheStore}): one row per (type, SHA-256 of the key), read by one SELECT
 * that skips expired rows and written by one upsert, with expiry on the store's clock. The key is hashed so that a
 * row has a bounded, indexable size whatever the caller's key. Expired rows are deleted by the saves themselves:
 * every {@value #SWEEP_EVERY}th save of this store deletes up to {@value #SWEEP_LIMIT} of them, so the table stays
 * bounded without purge or a leader as long as saves go on (up to five times more rows deleted than saved).
 */
final class ResultCacheStatements {

    private static final Logger LOG = LoggerFactory.getLogger(ResultCacheStatements.class);
    static final int SWEEP_EVERY = 100;
    static final int SWEEP_LIMIT = 500;
    /** The width of the type column (the job table's); longer types are refused, naming the type. */
    private static final int MAX_TYPE_LENGTH = 128;

    private final StoreContext context;
    private final String findSql;
    private final String saveSql;
    private final String sweepSql;
    private final AtomicInteger savesSinceSweep = new AtomicInteger();

    ResultCacheStatements(StoreContext context) {
        this.context = context;
        String table = context.tables.resultCache();
        this.findSql = "SELECT null_result, result FROM " + table + " WHERE type = ? AND key_hash = ? AND expires_at > "
                + context.nowExpression();
        this.saveSql = context.dialect.upsertSql(table, List.of("type", "key_hash"),
                List.of("type", "key_hash", "null_result", "result", "expires_at"),
                "?, ?, ?, ?, " + context.nowExpression() + " + ?");
        this.sweepSql = context.dialect.deleteSomeSql(table, "expires_at <= " + context.nowExpression(), SWEEP_LIMIT);
    }

    Optional<CachedResult> find(String type, String key) {
        byte[] hash = keyHash(type, key);
        return context.inTransaction("read of the cached result of type '" + type + "'", c -> {
            try (PreparedStatement select = c.prepareStatement(findSql)) {
                select.setString(1, type);
                select.setBytes(2, hash);
                context.bindNow(select, 3);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.<CachedResult>empty();
                    }
                    boolean nullResult = rows.getBoolean(1);
                    byte[] bytes = rows.getBytes(2);
                    return Optional.of(new CachedResult(nullResult ? null : bytes == null ? new byte[0] : bytes));
                }
            }
        });
    }

    void save(String type, String key, byte[] result, long ttlMillis) {
        byte[] hash = keyHash(type, key);
        if (ttlMillis <= 0 || ttlMillis > StoreContext.MAX_DURATION_MILLIS) {
            throw new IllegalArgumentException("ttlMillis must be in 1.." + StoreContext.MAX_DURATION_MILLIS
                    + " (100 years) but was " + ttlMillis + " (type '" + type + "')");
        }
        context.inTransaction("save of a cached result of type '" + type + "'", c -> {
            try (PreparedStatement upsert = c.prepareStatement(saveSql)) {
                upsert.setString(1, type);
                upsert.setBytes(2, hash);
                upsert.setBoolean(3, result == null);
                upsert.setBytes(4, result);
                context.bindNow(upsert, 5);
                upsert.setLong(6, ttlMillis);
                return upsert.executeUpdate();
            } catch (SQLException e) {
                if (context.dialect.isUniqueViolation(e)) {
                    // H2's MERGE: another save inserted the same (type, key) meanwhile; the rerun replaces it
                    throw new StoreContext.RetryTransaction("result of type '" + type + "' saved concurrently");
                }
                throw e;
            }
        });
        if (savesSinceSweep.updateAndGet(n -> n + 1 == SWEEP_EVERY ? 0 : n + 1) == 0) {
            sweepExpired();
        }
    }

    /**
     * Deletes up to {@value #SWEEP_LIMIT} expired rows, in a transaction of its own so that the save that triggered
     * it never waits for or fails with it. A failure is logged and left to the next sweep.
     */
    int sweepExpired() {
        try {
            return context.inTransaction("removal of expired cached results", c -> {
                try (PreparedStatement delete = c.prepareStatement(sweepSql)) {
                    context.bindNow(delete, 1);
                    return delete.executeUpdate();
                }
            });
        } catch (SluiceException e) {
            LOG.warn("Expired cached results were not removed this time ({}); the next sweep tries again",
                    e.getMessage());
            return 0;
        }
    }

    private static byte[] keyHash(String type, String key) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        if (type.length() > MAX_TYPE_LENGTH) {
            throw new IllegalArgumentException("type must be at most " + MAX_TYPE_LENGTH + " characters but was "
                    + type.length() + ": '" + type.substring(0, 40) + "...'");
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
