package dev.sluice.jdbc.internal;

import dev.sluice.SluiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the dialect's versioned scripts ({@code db/sluice/<dialect>/V1__sluice_schema.sql}, ...) with the
 * {@code ${prefix}} placeholder filled in, in the store's schema. Every statement is idempotent
 * ({@code IF NOT EXISTS}), so running them on every start is safe. Users of Flyway or Liquibase run the same
 * files themselves instead.
 */
public final class SchemaInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaInstaller.class);
    /** The scripts of each dialect, in order. Add the next V<n>__... here when the schema changes. */
    private static final List<String> SCRIPTS = List.of("V1__sluice_schema.sql", "V2__graphs_and_operations.sql",
            "V3__shared_capabilities.sql");

    private SchemaInstaller() {
    }

    public static void install(DataSource dataSource, Dialect dialect, Tables tables) {
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            String previousSchema = null;
            String previousCatalog = null;
            try (Statement statement = connection.createStatement()) {
                if (tables.schema() != null) {
                    if (dialect instanceof MariaDbDialect) {
                        statement.execute("CREATE DATABASE IF NOT EXISTS " + dialect.quote(tables.schema()));
                        previousCatalog = connection.getCatalog();
                        connection.setCatalog(tables.schema());
                    } else {
                        statement.execute("CREATE SCHEMA IF NOT EXISTS " + dialect.quote(tables.schema()));
                        previousSchema = connection.getSchema();
                        connection.setSchema(tables.schema());
                    }
                }
                connection.setAutoCommit(true);
                for (String script : SCRIPTS) {
                    for (String sql : statementsOf(dialect, script, tables.prefix())) {
                        statement.execute(sql);
                    }
                }
            } finally {
                if (previousSchema != null) {
                    connection.setSchema(previousSchema);
                }
                if (previousCatalog != null) {
                    connection.setCatalog(previousCatalog);
                }
                connection.setAutoCommit(autoCommit);
            }
            LOG.info("Sluice schema ready on {}: tables {}", dialect.displayName(), tables.job());
        } catch (SQLException e) {
            throw new SluiceException("creating the Sluice schema on " + dialect.displayName() + " (tables "
                    + tables.job() + ") failed: " + e.getMessage(), e);
        }
    }

    /** The statements of one script: comments dropped, split on semicolons that end a line. */
    static List<String> statementsOf(Dialect dialect, String script, String prefix) {
        String path = "db/sluice/" + dialect.scriptFolder() + "/" + script;
        String text;
        try (InputStream in = SchemaInstaller.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new SluiceException("schema script " + path + " is missing from the classpath");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SluiceException("reading schema script " + path + " failed", e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1).replace("${prefix}", prefix));
                current.setLength(0);
            }
        }
        return statements;
    }
}
