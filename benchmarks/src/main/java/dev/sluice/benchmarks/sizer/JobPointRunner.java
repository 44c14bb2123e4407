package dev.sluice.benchmarks.sizer;

import dev.sluice.JobEvent;
import dev.sluice.JobHandler;
import dev.sluice.JobListener;
import dev.sluice.JobRequest;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.JobStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Measures one point of a job handler: an engine with {@code concurrency} workers runs the handler (no retries,
 * so a failure counts once) while a feeding thread keeps it saturated, submitting jobs with {@code submitAll}
 * whenever fewer than the in-flight limit are unfinished.
 */
final class JobPointRunner<P> {

    static final String TYPE = "sizer-job";

    private final Class<P> payloadType;
    private final JobHandler<P> handler;
    private final PayloadFactory<? extends P> payloads;
    private final Supplier<JobStore> stores;
    private final Consumer<Sluice.Builder> engineSettings;

    JobPointRunner(Class<P> payloadType, JobHandler<P> handler, PayloadFactory<? extends P> payloads,
                   Supplier<JobStore> stores, Consumer<Sluice.Builder> engineSettings) {
        this.payloadType = payloadType;
        this.handler = handler;
        this.payloads = payloads;
        this.stores = stores;
        this.engineSettings = engineSettings;
    }

    /** Jobs submitted and unfinished at most: enough to keep every worker and the claim-ahead buffer fed. */
    static int inFlightLimit(int concurrency) {
        return Math.max(256, 4 * concurrency);
    }

    SizingPoint run(int concurrency, Duration warmup, Duration window, HeapWatch heap) throws InterruptedException {
        CallMeter meter = new CallMeter();
        Semaphore inFlight = new Semaphore(inFlightLimit(concurrency));
        Sluice sluice = startEngine(concurrency, meter, inFlight);
        Feeder feeder = new Feeder(sluice, inFlight);
        try {
            feeder.start();
            Thread.sleep(warmup.toMillis());
            feeder.failIfDead();
            heap.resetPeak();
            meter.startWindow();
            Thread.sleep(window.toMillis());
            long peak = heap.peakBytes();
            SizingPoint point = meter.endWindow(concurrency, 0, peak, heap.liveBytes());
            feeder.failIfDead();
            return point;
        } finally {
            feeder.stop();
            sluice.close();
            if (stores != null) {
                sluice.store().close();
            }
        }
    }

    /**
     * A started engine running the handler timed by {@code meter}, with no retries, that gives back a slot of
     * {@code inFlight} whenever a job ends for good.
     */
    Sluice startEngine(int concurrency, CallMeter meter, Semaphore inFlight) {
        Sluice.Builder builder = Sluice.builder().concurrency(concurrency)
                .handler(TYPE, payloadType, TimedHandlers.job(handler, meter), RetryPolicy.none(), null)
                .listener(new Releaser(inFlight));
        if (stores != null) {
            builder.store(stores.get());
        }
        engineSettings.accept(builder);
        return builder.build().start();
    }

    /** The payload of job number {@code index}. */
    P payload(long index) {
        return payloads.create(index);
    }

    /** Gives back an in-flight slot when a job ends for good. */
    private record Releaser(Semaphore inFlight) implements JobListener {
        @Override
        public void onEvent(JobEvent event) {
            inFlight.release();
        }

        @Override
        public Set<JobEvent.Kind> kinds() {
            return EnumSet.of(JobEvent.Kind.SUCCEEDED, JobEvent.Kind.DEAD, JobEvent.Kind.CANCELLED);
        }
    }

    /** Submits jobs in batches as slots free up, on a thread of its own. */
    private final class Feeder {
        private final Sluice sluice;
        private final Semaphore inFlight;
        private final Thread thread;
        private volatile RuntimeException failure;
        private long next;

        Feeder(Sluice sluice, Semaphore inFlight) {
            this.sluice = sluice;
            this.inFlight = inFlight;
            this.thread = new Thread(this::feed, "sizer-feeder");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void feed() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    inFlight.acquire();
                    int n = 1 + inFlight.drainPermits();
                    List<JobRequest> requests = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        requests.add(JobRequest.of(TYPE, payloads.create(next++)));
                    }
                    sluice.submitAll(requests);
                }
            } catch (InterruptedException e) {
                // stop() ends the feeder by interrupting it
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        void failIfDead() {
            if (failure != null) {
                throw new IllegalStateException("submitting jobs failed: " + failure.getMessage(), failure);
            }
        }

        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join();
        }
    }
}
