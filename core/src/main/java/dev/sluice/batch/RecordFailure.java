package dev.sluice.batch;

import java.util.Objects;

/**
 * One record that a {@link BatchHandler} could not process, for the report's dead-letter list.
 *
 * @param recordId what identifies the record to the user (a key, a line number); not null
 * @param reason   why it failed; not null
 */
public record RecordFailure(String recordId, String reason) {
    public RecordFailure {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(reason, "reason");
    }

    public static RecordFailure of(Object recordId, String reason) {
        return new RecordFailure(String.valueOf(recordId), reason);
    }
}
