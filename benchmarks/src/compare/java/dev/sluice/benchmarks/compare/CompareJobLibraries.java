package dev.sluice.benchmarks.compare;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Side-by-side comparison on one PostgreSQL and one workload: N no-op jobs bulk-enqueued with the workers stopped,
 * then run by {@value #WORKERS} worker threads until the library's store holds all of them as finished. Sluice's
 * jdbc-store against db-scheduler, JobRunr and Quartz's JDBC job store, one after the other in one JVM, each on
 * its own schema ({@code cmp_<key>}, dropped and made anew) through its own HikariCP pool of {@value #POOL_SIZE}.
 * Each library first runs a warm-up pass of {@code --warmup-jobs} on a fresh schema, which is not reported.
 *
 * <pre>
 * java -cp benchmarks.jar dev.sluice.benchmarks.compare.CompareJobLibraries [--jobs 10000]
 *     [--warmup-jobs 500] [--libraries sluice,db-scheduler,jobrunr,quartz] [--out DIR]
 * </pre>
 *
 * <p>PostgreSQL: {@code -Dsluice.bench.pg.url} (default {@code jdbc:postgresql://127.0.0.1:5432/test}),
 * {@code -Dsluice.bench.pg.user} (default {@code postgres}, no password). Prints one row per library with
 * enqueue, work and total rates, their ratio to Sluice's and the load average; with {@code --out} also writes
 * compare.csv there. Exit status 2 on bad arguments.
 */
public final class CompareJobLibraries {

    static final int WORKERS = 8;
    static final int POOL_SIZE = WORKERS + 2;
    static final int ENQUEUE_CHUNK = 1_000;
    /** Far above any library's time for the default job count: reaching it fails the run. */
    private static final long STUCK_AFTER_NANOS = TimeUnit.MINUTES.toNanos(20);
    private static final Map<String, Supplier<JobLibrary>> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("sluice", SluiceLibrary::new);
        LIBRARIES.put("db-scheduler", DbSchedulerLibrary::new);
        LIBRARIES.put("jobrunr", JobRunrLibrary::new);
        LIBRARIES.put("quartz", QuartzLibrary::new);
    }

    private CompareJobLibraries() {
    }

    /** One library's figures. */
    record Result(String name, String version, String settings, int jobs, double enqueueSeconds, double workSeconds,
                  String loadBefore, String loadAfter) {

        double enqueueRate() {
            return jobs / enqueueSeconds;
        }

        double workRate() {
            return jobs / workSeconds;
        }

        double totalRate() {
            return jobs / (enqueueSeconds + workSeconds);
        }
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        int jobs = 10_000;
        int warmupJobs = 500;
        List<String> keys = new ArrayList<>(LIBRARIES.keySet());
        Path out = null;
        try {
            for (int i = 0; i < args.length; i += 2) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                if (value == null) {
                    throw new IllegalArgumentException(args[i] + " needs a value");
                }
                switch (args[i]) {
                    case "--jobs" -> jobs = positive(value, "--jobs");
                    case "--warmup-jobs" -> warmupJobs = positive(value, "--warmup-jobs");
                    case "--libraries" -> keys = List.of(value.split(","));
                    case "--out" -> out = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options are --jobs, --warmup-jobs, --libraries, --out");
                }
            }
            for (String key : keys) {
                if (!LIBRARIES.containsKey(key)) {
                    throw new IllegalArgumentException("unknown library '" + key + "'; known: " + LIBRARIES.keySet());
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("compare: " + e.getMessage());
            System.exit(2);
        }
        List<Result> results = new ArrayList<>();
        try (FileChannel lockFile = FileChannel.open(Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = Boolean.getBoolean("jmh.ignoreLock") ? null : machineLock(lockFile)) {
            for (String key : keys) {
                // A warm-up pass first: class loading, JIT and the first connections are not measured.
                run(LIBRARIES.get(key).get(), warmupJobs);
                Result r = run(LIBRARIES.get(key).get(), jobs);
                System.out.printf(Locale.ROOT, "%s %s: enqueue %.0f jobs/s, work %.0f jobs/s, total %.0f jobs/s"
                        + " (load %s -> %s)%n", r.name(), r.version(), r.enqueueRate(), r.workRate(), r.totalRate(),
                        r.loadBefore(), r.loadAfter());
                results.add(r);
            }
        }
        String table = table(results);
        System.out.println();
        System.out.print(table);
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("compare.csv"), csv(results), StandardCharsets.UTF_8);
            Files.writeString(out.resolve("compare.md"), table, StandardCharsets.UTF_8);
        }
        // Some libraries leave non-daemon threads behind after their stop calls.
        System.exit(0);
    }

    /**
     * The lock JMH takes so that benchmarks on one machine do not run at once: this comparison waits for other
     * benchmarks and they wait for it ({@code -Djmh.ignoreLock=true} skips it, as for JMH).
     */
    private static FileLock machineLock(FileChannel file) throws IOException {
        FileLock lock = file.tryLock();
        if (lock == null) {
            System.out.println("waiting for another benchmark to end (" + System.getProperty("java.io.tmpdir")
                    + "/jmh.lock)");
            lock = file.lock();
        }
        return lock;
    }

    static Result run(JobLibrary library, int jobs) throws Exception {
        String schema = schemaOf(library);
        recreateSchema(schema);
        String loadBefore = loadAverage();
        try (HikariDataSource pool = pool(schema); JobLibrary lib = library) {
            lib.setUp(pool);
            LongAdder ran = new LongAdder();
            long t0 = System.nanoTime();
            lib.enqueue(jobs, ran);
            long t1 = System.nanoTime();
            lib.startWorkers();
            while (ran.sum() < jobs) {
                failIfStuck(t1, lib, ran.sum(), jobs);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            while (!lib.allFinished(jobs)) {
                failIfStuck(t1, lib, ran.sum(), jobs);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            long t2 = System.nanoTime();
            if (ran.sum() != jobs) {
                throw new IllegalStateException(lib.name() + " ran " + ran.sum() + " jobs for " + jobs + " enqueued");
            }
            return new Result(lib.name(), lib.version(), lib.settings(), jobs, (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    loadBefore, loadAverage());
        } finally {
            dropSchema(schema);
        }
    }

    private static void failIfStuck(long since, JobLibrary lib, long ran, int jobs) {
        if (System.nanoTime() - since > STUCK_AFTER_NANOS) {
            throw new IllegalStateException(lib.name() + " ran only " + ran + " of " + jobs + " jobs within "
                    + TimeUnit.NANOSECONDS.toMinutes(STUCK_AFTER_NANOS) + " minutes");
        }
    }

    static String table(List<Result> results) {
        Result sluice = results.stream().filter(r -> r.name().startsWith("Sluice")).findFirst().orElse(null);
        StringBuilder t = new StringBuilder("| library | version | enqueue jobs/s | work jobs/s | total jobs/s"
                + " | Sluice ÷ library (work) | Sluice ÷ library (total) | load avg before → after |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Result r : results) {
            t.append(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %,.0f | %s | %s | %s → %s |%n", r.name(),
                    r.version(), r.enqueueRate(), r.workRate(), r.totalRate(),
                    sluice == null ? "-" : String.format(Locale.ROOT, "%.1f", sluice.workRate() / r.workRate()),
                    sluice == null ? "-" : String.format(Locale.ROOT, "%.1f", sluice.totalRate() / r.totalRate()),
                    r.loadBefore(), r.loadAfter()));
        }
        t.append('\n');
        for (Result r : results) {
            t.append("- ").append(r.name()).append(' ').append(r.version()).append(": ").append(r.settings())
                    .append('\n');
        }
        return t.toString();
    }

    static String csv(List<Result> results) {
        StringBuilder c = new StringBuilder("library,version,jobs,enqueueSeconds,workSeconds,enqueueRate,workRate,"
                + "totalRate,loadBefore,loadAfter\n");
        for (Result r : results) {
            c.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.3f,%.1f,%.1f,%.1f,%s,%s%n", r.name(), r.version(),
                    r.jobs(), r.enqueueSeconds(), r.workSeconds(), r.enqueueRate(), r.workRate(), r.totalRate(),
                    r.loadBefore(), r.loadAfter()));
        }
        return c.toString();
    }

    static String schemaOf(JobLibrary library) {
        return "cmp_" + library.key().replace('-', '_');
    }

    /** The version of a library (a key of versions.properties) that Maven put on the classpath. */
    static String versionOf(String key) {
        try (InputStream in = CompareJobLibraries.class.getResourceAsStream("versions.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key, "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String url() {
        return System.getProperty("sluice.bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    private static String user() {
        return System.getProperty("sluice.bench.pg.user", "postgres");
    }

    private static HikariDataSource pool(String schema) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("compare-" + schema);
        config.setJdbcUrl(url() + (url().contains("?") ? "&" : "?") + "currentSchema=" + schema);
        config.setUsername(user());
        config.setMaximumPoolSize(POOL_SIZE);
        return new HikariDataSource(config);
    }

    // Schema names are made by schemaOf from the fixed keys above: letters and underscores only.
    private static void recreateSchema(String schema) throws SQLException {
        admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
    }

    private static void dropSchema(String schema) throws SQLException {
        admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }

    private static void admin(String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(), user(), null); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The 1, 5 and 15 minute load averages from /proc/loadavg, or "n/a" where there is none. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static int positive(String value, String option) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a positive integer but was '" + value + "'", e);
        }
    }
}
