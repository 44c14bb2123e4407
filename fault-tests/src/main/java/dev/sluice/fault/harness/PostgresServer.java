package dev.sluice.fault.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the harness's own, on a free loopback port in a temporary directory, made with
 * {@code initdb} and run with {@code pg_ctl} from {@code /usr/lib/postgresql/<newest>/bin} (or
 * {@code -Dsluice.fault.pgBin}). Stopping and restarting it disturbs nothing else on the machine. When the JVM
 * runs as root (initdb refuses root), the server runs as the {@code postgres} user. Trust authentication, user
 * {@code postgres}; {@code fsync=off}, since the scenarios crash processes, never the machine.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String OS_USER = "postgres";
    private static Path template;

    private final Path bin;
    private final Path dir;
    private final Path data;
    private final Path log;
    private final int port;
    private boolean running;

    private PostgresServer(Path bin, Path dir, int port) {
        this.bin = bin;
        this.dir = dir;
        this.data = dir.resolve("data");
        this.log = dir.resolve("server.log");
        this.port = port;
    }

    /** Makes a new cluster (a copy of one initdb made once per JVM) and starts it. */
    public static PostgresServer start(String name) {
        Path bin = binaries();
        try {
            // short: the server's Unix socket lives in this directory, and socket paths end at 107 bytes
            Path dir = Files.createTempDirectory("sluice-fault-pg-" + name.substring(0, Math.min(20, name.length()))
                    + "-");
            giveToServerUser(dir);
            Commands.run(List.of("cp", "-a", initdbTemplate(bin).toString(), dir.resolve("data").toString()),
                    dir.resolve("setup.log"), 60);
            PostgresServer server = new PostgresServer(bin, dir, Commands.freePort());
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("cannot make a temporary directory for PostgreSQL: " + e.getMessage(), e);
        }
    }

    private static synchronized Path initdbTemplate(Path bin) throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("sluice-fault-pg-template-");
            giveToServerUser(dir);
            Path templateData = dir.resolve("data");
            Commands.run(Commands.as(OS_USER, List.of(bin.resolve("initdb").toString(), "-D", templateData.toString(),
                    "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync")), dir.resolve("initdb.log"), 120);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> Commands.deleteTree(dir), "pg-template-delete"));
            template = templateData;
        }
        return template;
    }

    private static void giveToServerUser(Path dir) throws IOException {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if ("root".equals(System.getProperty("user.name"))) {
            UserPrincipal user = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
            Files.setOwner(dir, user);
        }
    }

    private static Path binaries() {
        String configured = System.getProperty("sluice.fault.pgBin");
        if (configured != null) {
            return Paths.get(configured);
        }
        Path root = Paths.get("/usr/lib/postgresql");
        try (Stream<Path> versions = Files.list(root)) {
            Optional<Path> newest = versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent())));
            return newest.orElseThrow(() -> new IllegalStateException("no initdb under " + root
                    + "/*/bin; install PostgreSQL (apt-get install postgresql) or set -Dsluice.fault.pgBin"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL under " + root + " (" + e.getMessage()
                    + "); install it (apt-get install postgresql) or set -Dsluice.fault.pgBin", e);
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Starts the server (again, after {@link #stopImmediately}) and waits until it takes connections. */
    public synchronized void start() {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-l", log.toString(), "-w", "-t", "60", "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300"
                        + " -c shared_buffers=128MB",
                "start"));
        Commands.run(Commands.as(OS_USER, command), dir.resolve("pg_ctl.log"), 90);
        running = true;
    }

    /** Stops at once, as a crash: backends die without a checkpoint, the next start runs crash recovery. */
    public synchronized void stopImmediately() {
        Commands.run(Commands.as(OS_USER, List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m",
                "immediate", "-w", "stop")), dir.resolve("pg_ctl.log"), 60);
        running = false;
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of a database on this server, as user postgres. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=postgres";
    }

    /** Creates a database (name checked by the caller: it is an identifier of the harness's own). */
    public void createDatabase(String name) {
        if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("database name must match [a-z_][a-z0-9_]{0,62} but was '" + name + "'");
        }
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"));
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + " on port " + port + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            if (running) {
                stopImmediately();
            }
        } finally {
            Commands.deleteTree(dir);
        }
    }

    @Override
    public String toString() {
        return "PostgreSQL on 127.0.0.1:" + port + " in " + dir;
    }
}
