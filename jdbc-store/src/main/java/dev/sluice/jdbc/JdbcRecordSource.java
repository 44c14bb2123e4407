package dev.sluice.jdbc;

import dev.sluice.batch.RecordSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Function;

/**
 * A {@link RecordSource} that streams rows from a database through one server-side cursor and resumes by key.
 *
 * <p>The query selects the rows in ascending order of a unique key and takes that key as its only bind parameter,
 * as the exclusive lower bound: {@code SELECT id, account, amount FROM payments WHERE id > ? ORDER BY id}. A run
 * binds {@link Builder#startAfter the key before the first row}; a resumed run binds the key of the last row of
 * the last committed batch, which is the source's cursor. So batch boundaries are the same on every run as long
 * as keys are unique and rows before the cursor do not change.
 *
 * <p>Rows are fetched {@link Builder#fetchSize fetchSize} at a time, so memory stays bounded however large the
 * table. To make the drivers stream rather than load the whole result, the source reads in a read-only
 * transaction with auto-commit off on its own connection, held for the whole pass: on PostgreSQL that
 * transaction holds back vacuum of the rows it could see, so run long extracts against a replica when that
 * matters.
 *
 * <pre>{@code
 * RecordSource<Payment> payments = JdbcRecordSource.builder(dataSource,
 *                 "SELECT id, account, amount FROM payments WHERE id > ? ORDER BY id",
 *                 rs -> new Payment(rs.getLong("id"), rs.getString("account"), rs.getBigDecimal("amount")))
 *         .key(Long.class, Payment::id)
 *         .startAfter(0L)
 *         .countQuery("SELECT count(*) FROM payments")
 *         .build();
 * BatchReport report = BatchProcessor.of(config).run(payments, handler);
 * }</pre>
 *
 * <p>Not thread-safe (the processor reads from one thread); each run needs a new instance (build again).
 *
 * @param <R> the record type
 */
public final class JdbcRecordSource<R> implements RecordSource<R> {

    /** Maps the current row of a result set to a record; must not move the cursor. */
    @FunctionalInterface
    public interface RowMapper<R> {
        R map(ResultSet row) throws SQLException;
    }

    private final DataSource dataSource;
    private final String query;
    private final RowMapper<R> mapper;
    private final KeyType keyType;
    private final Function<R, ?> keyOf;
    private final Object startAfter;
    private final int fetchSize;
    private final String countQuery;

    private Connection connection;
    private PreparedStatement statement;
    private ResultSet rows;
    private boolean ended;
    private Object lastKey;
    private boolean positioned;

    private JdbcRecordSource(Builder<R> builder) {
        this.dataSource = builder.dataSource;
        this.query = builder.query;
        this.mapper = builder.mapper;
        this.keyType = builder.keyType;
        this.keyOf = builder.keyOf;
        this.startAfter = builder.startAfter;
        this.fetchSize = builder.fetchSize;
        this.countQuery = builder.countQuery;
    }

    /**
     * A builder for a source over {@code query}, which must take the lower-bound key as its only bind parameter
     * and order rows by that key.
     */
    public static <R> Builder<R> builder(DataSource dataSource, String query, RowMapper<R> mapper) {
        return new Builder<>(dataSource, query, mapper);
    }

    // The cursor is "start", "end", or "after:" + the last key read, so that a run resumed after the last row does
    // not read it again and one resumed at the start binds the configured first key.
    @Override
    public void open(String cursor) throws SQLException {
        if (positioned) {
            throw new IllegalStateException("a JdbcRecordSource reads once; build a new one for another run");
        }
        positioned = true;
        if (cursor == null || cursor.equals("start")) {
            lastKey = startAfter;
        } else if (cursor.equals("end")) {
            ended = true;
            return;
        } else if (cursor.startsWith("after:")) {
            lastKey = keyType.parse(cursor.substring("after:".length()));
        } else {
            throw new IllegalArgumentException("cursor must be 'start', 'end' or 'after:<key>' but was '" + cursor
                    + "'");
        }
        connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            statement = connection.prepareStatement(query, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(fetchSize);
            statement.setObject(1, lastKey);
            rows = statement.executeQuery();
        } catch (SQLException | RuntimeException e) {
            closeQuietly(e);
            throw e;
        }
    }

    @Override
    public List<R> read(int max) throws SQLException {
        if (!positioned) {
            throw new IllegalStateException("open the source before reading");
        }
        List<R> records = new ArrayList<>(Math.min(max, fetchSize));
        while (!ended && records.size() < max) {
            if (!rows.next()) {
                ended = true;
                break;
            }
            R record = mapper.map(rows);
            Object key = keyOf.apply(record);
            if (key == null) {
                throw new IllegalStateException("the key of record " + record + " is null; keys must be unique and "
                        + "non-null");
            }
            lastKey = key;
            records.add(record);
        }
        return records;
    }

    @Override
    public String cursor() {
        if (ended && lastKey == null) {
            return "end";
        }
        return lastKey == null ? "start" : "after:" + keyType.format(lastKey);
    }

    /** The count query's result when one was configured. */
    @Override
    public OptionalLong size() {
        if (countQuery == null) {
            return OptionalLong.empty();
        }
        try (Connection counting = dataSource.getConnection();
             PreparedStatement count = counting.prepareStatement(countQuery);
             ResultSet result = count.executeQuery()) {
            return result.next() ? OptionalLong.of(result.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("the count query failed: " + countQuery, e);
        }
    }

    @Override
    public void close() throws SQLException {
        SQLException failure = null;
        for (AutoCloseable each : new AutoCloseable[] {rows, statement}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception e) {
                failure = chain(failure, e);
            }
        }
        if (connection != null) {
            try {
                connection.rollback(); // read only: nothing to keep
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                failure = chain(failure, e);
            }
            try {
                connection.close();
            } catch (SQLException e) {
                failure = chain(failure, e);
            }
        }
        rows = null;
        statement = null;
        connection = null;
        if (failure != null) {
            throw failure;
        }
    }

    private void closeQuietly(Exception cause) {
        try {
            close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static SQLException chain(SQLException first, Exception next) {
        if (first == null) {
            return next instanceof SQLException ? (SQLException) next : new SQLException(next);
        }
        first.addSuppressed(next);
        return first;
    }

    /** The key types a cursor can hold as text. */
    private enum KeyType {
        LONG {
            @Override
            Object parse(String text) {
                return Long.parseLong(text);
            }
        },
        STRING {
            @Override
            Object parse(String text) {
                return text;
            }
        },
        UUID_KEY {
            @Override
            Object parse(String text) {
                return UUID.fromString(text);
            }
        };

        abstract Object parse(String text);

        String format(Object key) {
            return key.toString();
        }

        static KeyType of(Class<?> type) {
            if (type == Long.class) {
                return LONG;
            }
            if (type == String.class) {
                return STRING;
            }
            if (type == UUID.class) {
                return UUID_KEY;
            }
            throw new IllegalArgumentException("key type must be Long, String or UUID but was " + type.getName());
        }
    }

    /**
     * Settings of a {@link JdbcRecordSource}. {@link #key} is required; {@link #build()} validates.
     *
     * @param <R> the record type
     */
    public static final class Builder<R> {
        private final DataSource dataSource;
        private final String query;
        private final RowMapper<R> mapper;
        private KeyType keyType;
        private Function<R, ?> keyOf;
        private Object startAfter;
        private int fetchSize = 1000;
        private String countQuery;

        private Builder(DataSource dataSource, String query, RowMapper<R> mapper) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            this.query = Objects.requireNonNull(query, "query");
            this.mapper = Objects.requireNonNull(mapper, "mapper");
        }

        /** The unique, ordered key of the rows (Long, String or UUID) and how to read it from a record. */
        public <K> Builder<R> key(Class<K> type, Function<R, K> keyOf) {
            this.keyType = KeyType.of(Objects.requireNonNull(type, "type"));
            this.keyOf = Objects.requireNonNull(keyOf, "keyOf");
            return this;
        }

        /** The key bound for the first pass: below every row's key (for example 0, or ""). Required. */
        public Builder<R> startAfter(Object key) {
            this.startAfter = key;
            return this;
        }

        /** Rows fetched per round trip. Default 1000; 1 to 100,000. */
        public Builder<R> fetchSize(int fetchSize) {
            this.fetchSize = fetchSize;
            return this;
        }

        /** A query returning the number of rows as its one column, for progress. Default: none (size unknown). */
        public Builder<R> countQuery(String countQuery) {
            this.countQuery = countQuery;
            return this;
        }

        /** @throws IllegalArgumentException naming the setting when one is missing or out of range */
        public JdbcRecordSource<R> build() {
            if (keyType == null) {
                throw new IllegalArgumentException("key(type, keyOf) is required: the source resumes by key");
            }
            if (startAfter == null) {
                throw new IllegalArgumentException("startAfter(key) is required: the key bound for the first pass");
            }
            if (!keyType.parse(startAfter.toString()).equals(startAfter)) {
                throw new IllegalArgumentException("startAfter must be of the key type " + keyType + " but was "
                        + startAfter.getClass().getName() + " " + startAfter);
            }
            if (fetchSize < 1 || fetchSize > 100_000) {
                throw new IllegalArgumentException("fetchSize must be in 1..100000 but was " + fetchSize);
            }
            long binds = query.chars().filter(c -> c == '?').count();
            if (binds != 1) {
                throw new IllegalArgumentException("the query must take exactly one bind parameter (the key to "
                        + "start after) but has " + binds + ": " + query);
            }
            return new JdbcRecordSource<>(this);
        }
    }
}
