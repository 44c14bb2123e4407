package dev.sluice.jdbc;

import dev.sluice.batch.BatchConfig;
import dev.sluice.batch.BatchProcessor;
import dev.sluice.batch.BatchReport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JDBC cursor source on real PostgreSQL and on H2: order, batch boundaries, resume by key, bounds. */
class JdbcRecordSourceTest {

    private static final int ROWS = 2_503;
    private static final String TABLE = TestDatabases.uniqueName("payments");

    record Payment(long id, String account, long cents) {
    }

    // names, not pools: JUnit closes AutoCloseable arguments after each test
    static Stream<String> databases() {
        return Stream.of("postgres", "h2");
    }

    private static DataSource database(String name) {
        return name.equals("postgres") ? TestDatabases.postgres() : TestDatabases.h2();
    }

    @BeforeAll
    static void createTables() {
        databases().forEach(name -> {
            DataSource db = database(name);
            TestDatabases.execute(db, "CREATE TABLE " + TABLE + " (id BIGINT PRIMARY KEY, account VARCHAR(20), "
                    + "cents BIGINT)");
            StringBuilder insert = new StringBuilder("INSERT INTO " + TABLE + " VALUES ");
            // ids with gaps, inserted out of order: the source must follow the key, not the insertion order
            for (int i = ROWS; i >= 1; i--) {
                insert.append('(').append(i * 3L).append(", 'acct-").append(i % 17).append("', ").append(i)
                        .append(')').append(i > 1 ? "," : "");
            }
            TestDatabases.execute(db, insert.toString());
        });
    }

    @AfterAll
    static void dropTables() {
        databases().forEach(name -> TestDatabases.execute(database(name), "DROP TABLE " + TABLE));
    }

    private static JdbcRecordSource<Payment> source(DataSource db) {
        return JdbcRecordSource.builder(db, "SELECT id, account, cents FROM " + TABLE + " WHERE id > ? ORDER BY id",
                        rs -> new Payment(rs.getLong("id"), rs.getString("account"), rs.getLong("cents")))
                .key(Long.class, Payment::id)
                .startAfter(0L)
                .fetchSize(100)
                .countQuery("SELECT count(*) FROM " + TABLE)
                .build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void readsEveryRowInKeyOrderInFullBatches(String name) throws Exception {
        DataSource db = database(name);
        List<Long> ids = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        try (JdbcRecordSource<Payment> source = source(db)) {
            source.open(null);
            assertThat(source.size()).hasValue(ROWS);
            List<Payment> batch;
            while (!(batch = source.read(250)).isEmpty()) {
                sizes.add(batch.size());
                batch.forEach(payment -> ids.add(payment.id()));
            }
        }

        assertThat(ids).hasSize(ROWS).isSorted().doesNotHaveDuplicates();
        assertThat(sizes.subList(0, sizes.size() - 1)).containsOnly(250);
        assertThat(sizes.get(sizes.size() - 1)).isEqualTo(ROWS % 250);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aSourceOpenedAtACursorReadsExactlyTheRest(String name) throws Exception {
        DataSource db = database(name);
        List<Long> firstPass = new ArrayList<>();
        String cursor;
        try (JdbcRecordSource<Payment> source = source(db)) {
            source.open(null);
            for (int i = 0; i < 4; i++) {
                source.read(250).forEach(payment -> firstPass.add(payment.id()));
            }
            cursor = source.cursor();
        }
        List<Long> rest = new ArrayList<>();
        try (JdbcRecordSource<Payment> resumed = source(db)) {
            resumed.open(cursor);
            List<Payment> batch;
            while (!(batch = resumed.read(250)).isEmpty()) {
                batch.forEach(payment -> rest.add(payment.id()));
            }
            assertThat(resumed.read(250)).isEmpty();
        }

        assertThat(cursor).isEqualTo("after:3000");
        assertThat(firstPass).hasSize(1000);
        assertThat(rest).hasSize(ROWS - 1000).allMatch(id -> id > 3000);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theBatchProcessorSeesEveryRowOnce(String name) {
        DataSource db = database(name);
        ConcurrentHashMap<Long, AtomicInteger> seen = new ConcurrentHashMap<>();
        BatchConfig config = BatchConfig.builder().batchSize(200).concurrency(3).build();

        BatchReport report = BatchProcessor.of(config).run(source(db), (records, attempt) -> {
            records.forEach(payment -> seen.computeIfAbsent(payment.id(), id -> new AtomicInteger()).incrementAndGet());
            return List.of();
        });

        assertThat(report.status()).isEqualTo(BatchReport.Status.SUCCEEDED);
        assertThat(report.totalRecords()).isEqualTo(ROWS);
        assertThat(report.totalBatches()).isEqualTo((ROWS + 199) / 200);
        assertThat(seen).hasSize(ROWS).allSatisfy((id, count) -> assertThat(count.get()).isEqualTo(1));
    }

    @Test
    void badSettingsAreRejectedByName() {
        DataSource db = TestDatabases.h2();
        String query = "SELECT id FROM t WHERE id > ? ORDER BY id";
        JdbcRecordSource.RowMapper<Long> mapper = rs -> rs.getLong(1);

        assertThatThrownBy(() -> JdbcRecordSource.builder(db, query, mapper).startAfter(0L).build())
                .hasMessageContaining("key(type, keyOf) is required");
        assertThatThrownBy(() -> JdbcRecordSource.builder(db, query, mapper).key(Long.class, id -> id).build())
                .hasMessageContaining("startAfter");
        assertThatThrownBy(() -> JdbcRecordSource.builder(db, query, mapper).key(Long.class, id -> id)
                .startAfter("zero").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JdbcRecordSource.builder(db, query, mapper).key(Long.class, id -> id).startAfter(0L)
                .fetchSize(0).build())
                .hasMessageContaining("fetchSize must be in 1..100000 but was 0");
        assertThatThrownBy(() -> JdbcRecordSource.builder(db, "SELECT id FROM t ORDER BY id", mapper)
                .key(Long.class, id -> id).startAfter(0L).build())
                .hasMessageContaining("exactly one bind parameter").hasMessageContaining("has 0");
        assertThatThrownBy(() -> JdbcRecordSource.builder(db, query, mapper).key(Integer.class, id -> 1))
                .hasMessageContaining("java.lang.Integer");
    }
}
