package dev.sluice.examples.quickstart;

import dev.sluice.JobId;
import dev.sluice.JobInfo;
import dev.sluice.JobRequest;
import dev.sluice.JobState;
import dev.sluice.Priority;
import dev.sluice.QueueConfig;
import dev.sluice.RetryPolicy;
import dev.sluice.Sluice;
import dev.sluice.store.StoreStats;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The README's main example: an invoice run on the in-memory store. 2,000 invoices are rendered by a handler
 * that calls a flaky "PDF service" (5% of calls fail and are retried with backoff); a few urgent invoices jump
 * the queue with CRITICAL priority; a second queue sends reminders with its own concurrency.
 *
 * <p>Run: {@code ./mvnw -q -pl examples -am test-compile exec:java}
 */
public final class QuickstartExample {

    /** A job payload: a plain record, encoded as JSON. */
    public record Invoice(long number, String customer, long cents) {
    }

    public static void main(String[] args) throws Exception {
        int invoices = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        RetryPolicy quickRetries = RetryPolicy.builder()
                .maxAttempts(5).initialInterval(Duration.ofMillis(20)).maxInterval(Duration.ofMillis(500)).build();

        try (Sluice sluice = Sluice.builder()
                .concurrency(8)
                .queue(QueueConfig.of("reminders", 2))
                .handler("render-invoice", Invoice.class, (invoice, ctx) -> {
                    simulatePdfService();
                    return "invoice-" + invoice.number() + ".pdf";
                }, quickRetries, Duration.ofSeconds(5))
                .handler("send-reminder", String.class, (customer, ctx) -> "reminded " + customer)
                .build()
                .start()) {

            long started = System.nanoTime();
            List<JobRequest> requests = new ArrayList<>();
            for (int i = 1; i <= invoices; i++) {
                Invoice invoice = new Invoice(i, "customer-" + (i % 97), 1_000L + i);
                requests.add(JobRequest.builder("render-invoice").payload(invoice)
                        .priority(i % 500 == 0 ? Priority.CRITICAL : Priority.NORMAL).build());
            }
            List<JobId> ids = sluice.submitAll(requests);   // one store call for the whole list
            JobId reminder = sluice.submit(JobRequest.builder("send-reminder").payload("customer-7")
                    .queue("reminders").delay(Duration.ofMillis(200)).build());

            int succeeded = 0;
            int retried = 0;
            for (JobId id : ids) {
                JobInfo info = sluice.await(id, Duration.ofSeconds(60));
                if (info.state() == JobState.SUCCEEDED) {
                    succeeded++;
                }
                if (info.attempts() > 1) {
                    retried++;
                }
            }
            JobInfo reminded = sluice.await(reminder, Duration.ofSeconds(10));
            long millis = (System.nanoTime() - started) / 1_000_000;

            StoreStats stats = sluice.stats();
            System.out.printf("rendered %d of %d invoices in %d ms (%d needed a retry)%n",
                    succeeded, invoices, millis, retried);
            System.out.printf("reminder job: %s -> %s%n", reminded.state(), reminded.result(String.class).orElse(""));
            System.out.printf("store: %d succeeded, %d dead%n",
                    stats.total(JobState.SUCCEEDED), stats.total(JobState.DEAD));
            if (succeeded != invoices) {
                System.exit(1);
            }
        }
    }

    /** A slow, flaky downstream call: 1-3 ms, and 5% of calls fail. */
    private static void simulatePdfService() throws IOException, InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Thread.sleep(1 + random.nextInt(3));
        if (random.nextInt(100) < 5) {
            throw new IOException("PDF service answered 503");
        }
    }
}
