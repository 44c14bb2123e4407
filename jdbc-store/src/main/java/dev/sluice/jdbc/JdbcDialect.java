package dev.sluice.jdbc;

import dev.sluice.jdbc.internal.Dialect;
import dev.sluice.jdbc.internal.H2Dialect;
import dev.sluice.jdbc.internal.MariaDbDialect;
import dev.sluice.jdbc.internal.PostgresDialect;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.Supplier;

/** The databases {@link JdbcJobStore} speaks. Detected from the connection's metadata unless given. */
public enum JdbcDialect {
    /** PostgreSQL 12 or newer: the tuned dialect (single-statement claims and completions, LISTEN/NOTIFY). */
    POSTGRESQL(PostgresDialect::new),
    /** MariaDB 10.6 or newer, and MySQL 8.0 or newer (SKIP LOCKED). */
    MARIADB(MariaDbDialect::new),
    /** H2 2.x, embedded in a file or in memory. */
    H2(H2Dialect::new);

    private final Supplier<Dialect> implementation;

    JdbcDialect(Supplier<Dialect> implementation) {
        this.implementation = implementation;
    }

    Dialect implementation() {
        return implementation.get();
    }

    /**
     * The dialect of a database from its product name.
     *
     * @throws IllegalArgumentException naming the product when it is not supported
     */
    static JdbcDialect detect(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || name.contains("mysql")) {
            return MARIADB;
        }
        if (name.equals("h2")) {
            return H2;
        }
        throw new IllegalArgumentException("database '" + product + "' is not supported by the Sluice JDBC store; "
                + "supported: PostgreSQL, MariaDB/MySQL 8, H2");
    }
}
