package dev.sluice.redis;

import dev.sluice.JobId;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.store.StoredJob;
import io.lettuce.core.KeyValue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * Turns a job hash into a {@link StoredJob}. The hash's short field names (one to three letters, to keep memory
 * per job low) are listed in README.md, "Key layout"; the scripts write them.
 */
final class JobHashReader {

    /** The fields read, in the order of the HMGET reply. */
    static final byte[][] FIELDS = fields("t", "q", "p", "s", "d", "n", "u", "a", "m", "to", "c", "r", "st", "f",
            "e", "res", "pg", "cp", "o", "le", "k", "x");

    private JobHashReader() {
    }

    /** The job, or null when the hash does not exist (every field nil). */
    static StoredJob read(JobId id, List<KeyValue<byte[], byte[]>> values) {
        if (!values.get(3).hasValue()) {
            return null;
        }
        JobState state = JobState.valueOf(text(values, 3));
        boolean running = state == JobState.RUNNING;
        return new StoredJob(id, text(values, 0), text(values, 1), Priority.ofWeight((int) number(values, 2)),
                state, bytes(values, 4, new byte[0]), text(values, 5), text(values, 6), (int) number(values, 7),
                (int) number(values, 8), number(values, 9), instant(values, 10),
                state == JobState.SCHEDULED ? instant(values, 11) : null, instant(values, 12), instant(values, 13),
                text(values, 14), bytes(values, 15, null), decimal(values, 16), bytes(values, 17, null),
                running ? text(values, 18) : null, running ? instant(values, 19) : null, number(values, 20),
                "1".equals(text(values, 21)));
    }

    private static byte[][] fields(String... names) {
        byte[][] fields = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            fields[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return fields;
    }

    private static String text(List<KeyValue<byte[], byte[]>> values, int index) {
        KeyValue<byte[], byte[]> value = values.get(index);
        return value.hasValue() ? new String(value.getValue(), StandardCharsets.UTF_8) : null;
    }

    private static byte[] bytes(List<KeyValue<byte[], byte[]>> values, int index, byte[] absent) {
        KeyValue<byte[], byte[]> value = values.get(index);
        return value.hasValue() ? value.getValue() : absent;
    }

    private static long number(List<KeyValue<byte[], byte[]>> values, int index) {
        KeyValue<byte[], byte[]> value = values.get(index);
        return value.hasValue() ? Replies.parseLong(value.getValue()) : 0;
    }

    private static double decimal(List<KeyValue<byte[], byte[]>> values, int index) {
        String text = text(values, index);
        return text == null ? 0 : Double.parseDouble(text);
    }

    private static Instant instant(List<KeyValue<byte[], byte[]>> values, int index) {
        KeyValue<byte[], byte[]> value = values.get(index);
        return value.hasValue() ? Instant.ofEpochMilli(Replies.parseLong(value.getValue())) : null;
    }
}
