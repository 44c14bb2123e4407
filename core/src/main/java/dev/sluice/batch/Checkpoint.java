package dev.sluice.batch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run has committed, as stored after each committed batch: the cursor after the longest run of committed
 * batches from the start (the watermark), the batches committed beyond it (at most a window's worth, since
 * batches finish out of order), and the counts. A resumed run opens the source at the cursor and skips the
 * batches listed beyond it, so no committed batch is processed again. Encoded with a version byte, not Java
 * serialization.
 */
record Checkpoint(int batchSize, long watermark, String cursor, long[] committedAbove, long succeeded, long failed,
                  long failedBatches, long retries, long committedBatches, List<RecordFailure> failures,
                  List<BatchReport.FailedBatch> failedBatchList) {

    private static final int VERSION = 1;
    /** Reasons are cut to this many characters so that a checkpoint stays small. */
    static final int MAX_REASON = 500;

    byte[] encode() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(VERSION);
            out.writeInt(batchSize);
            out.writeLong(watermark);
            writeString(out, cursor);
            out.writeInt(committedAbove.length);
            for (long index : committedAbove) {
                out.writeLong(index);
            }
            out.writeLong(succeeded);
            out.writeLong(failed);
            out.writeLong(failedBatches);
            out.writeLong(retries);
            out.writeLong(committedBatches);
            out.writeInt(failures.size());
            for (RecordFailure f : failures) {
                writeString(out, f.recordId());
                writeString(out, f.reason());
            }
            out.writeInt(failedBatchList.size());
            for (BatchReport.FailedBatch b : failedBatchList) {
                out.writeLong(b.batchIndex());
                out.writeLong(b.firstRecordOffset());
                out.writeInt(b.records());
                writeString(out, b.reason());
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
        }
    }

    static Checkpoint decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("batch checkpoint has version " + version + "; this Sluice reads "
                        + VERSION);
            }
            int batchSize = in.readInt();
            long watermark = in.readLong();
            String cursor = readString(in);
            long[] above = new long[in.readInt()];
            for (int i = 0; i < above.length; i++) {
                above[i] = in.readLong();
            }
            long succeeded = in.readLong();
            long failed = in.readLong();
            long failedBatches = in.readLong();
            long retries = in.readLong();
            long committedBatches = in.readLong();
            int nf = in.readInt();
            List<RecordFailure> failures = new ArrayList<>(nf);
            for (int i = 0; i < nf; i++) {
                failures.add(new RecordFailure(readString(in), readString(in)));
            }
            int nb = in.readInt();
            List<BatchReport.FailedBatch> failedBatchList = new ArrayList<>(nb);
            for (int i = 0; i < nb; i++) {
                failedBatchList.add(new BatchReport.FailedBatch(in.readLong(), in.readLong(), in.readInt(),
                        readString(in)));
            }
            return new Checkpoint(batchSize, watermark, cursor, above, succeeded, failed, failedBatches, retries,
                    committedBatches, failures, failedBatchList);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("stored batch checkpoint of " + bytes.length
                    + " bytes cannot be read: " + e, e);
        }
    }

    static String cut(String reason) {
        return reason == null ? "" : reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new IOException("truncated string");
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
