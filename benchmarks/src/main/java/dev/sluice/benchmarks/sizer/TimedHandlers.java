package dev.sluice.benchmarks.sizer;

import dev.sluice.JobHandler;
import dev.sluice.batch.BatchHandler;
import dev.sluice.batch.RecordFailure;

import java.util.List;

/** Wraps a user's handler so that every call is timed and counted by a {@link CallMeter}. */
final class TimedHandlers {

    private TimedHandlers() {
    }

    static <P> JobHandler<P> job(JobHandler<P> handler, CallMeter meter) {
        return (payload, context) -> {
            long start = System.nanoTime();
            try {
                Object result = handler.handle(payload, context);
                meter.record(System.nanoTime() - start, 1, 0);
                return result;
            } catch (Exception | Error e) {
                meter.record(System.nanoTime() - start, 0, 1);
                throw e;
            }
        };
    }

    static <R> BatchHandler<R> batch(BatchHandler<R> handler, CallMeter meter) {
        return (records, attempt) -> {
            long start = System.nanoTime();
            try {
                List<RecordFailure> failures = handler.process(records, attempt);
                int failed = failures == null ? 0 : Math.min(failures.size(), records.size());
                meter.record(System.nanoTime() - start, records.size() - failed, failed);
                return failures;
            } catch (Exception | Error e) {
                meter.record(System.nanoTime() - start, 0, records.size());
                throw e;
            }
        };
    }
}
