package dev.sluice.examples.documents;

import dev.sluice.examples.documents.DocumentPipelineExample.Run;
import dev.sluice.examples.support.Terminal;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Prints what the document pipeline measured: the two runs side by side, the per-stage timing breakdown of a run,
 * the engine's meters (read from its registry) and a few summaries.
 */
final class PipelineReport {

    private final Terminal terminal;
    private final MeterRegistry registry;

    PipelineReport(Terminal terminal, MeterRegistry registry) {
        this.terminal = terminal;
        this.registry = registry;
    }

    /** Jobs served from the result cache so far: {@code sluice.cache.requests} other than misses. */
    static double cacheHits(MeterRegistry registry) {
        double hits = 0;
        for (Counter counter : registry.find("sluice.cache.requests").counters()) {
            if (!"miss".equals(counter.getId().getTag("result"))) {
                hits += counter.count();
            }
        }
        return hits;
    }

    void speedUp(Run first, Run second) {
        terminal.line("");
        terminal.line(String.format(Locale.ROOT, "=== the same %d documents again: %,d ms instead of %,d ms, %.1fx"
                        + " faster (%d of %d jobs from the result cache, %d handler calls) ===", second.documents(),
                second.millis(), first.millis(), (double) first.millis() / Math.max(1, second.millis()),
                second.cacheHits(), 3 * second.documents(), second.handlerCalls()));
    }

    /** The per-stage timing breakdown: handler calls, failures, total, average and p95 time of a call. */
    void stages(Run run) {
        if (run.handlerCalls() == 0) {
            terminal.line(run.label() + ": no handler ran: every job was served from the result cache");
            return;
        }
        terminal.line(String.format(Locale.ROOT, "%-13s %6s %7s %12s %10s %10s", run.label() + ":", "calls", "failed",
                "total", "average", "p95"));
        run.stages().forEach((stage, stats) -> terminal.line(String.format(Locale.ROOT,
                "  %-11s %6d %7d %,9.0f ms %7.1f ms %7.1f ms", stage, stats.calls(), stats.failures(),
                stats.totalMillis(), stats.averageMillis(), stats.p95Millis())));
    }

    /**
     * Prints the meters of both runs and returns them by name and tags ({@code "sluice.jobs.deferred
     * reason=breaker"}).
     */
    Map<String, Double> meters(String breakerType, List<String> transitions) {
        Map<String, Double> meters = new LinkedHashMap<>();
        terminal.line("meters, both runs (SimpleMeterRegistry):");
        terminal.line("  sluice.jobs.completed  " + counts("sluice.jobs.completed", "type", "outcome", meters));
        terminal.line("  sluice.cache.requests  " + counts("sluice.cache.requests", "type", "result", meters));
        terminal.line("  sluice.jobs.deferred   " + counts("sluice.jobs.deferred", null, "reason", meters));
        Gauge state = registry.find("sluice.breaker.state").tag("type", breakerType).gauge();
        if (state != null) {
            meters.put("sluice.breaker.state type=" + breakerType, state.value());
            terminal.line(String.format(Locale.ROOT, "  sluice.breaker.state   %s: %.0f (%s); transitions: %s",
                    breakerType, state.value(), stateOf(state.value()),
                    transitions.isEmpty() ? "none" : String.join(", ", transitions)));
        }
        return meters;
    }

    void samples(List<Summary> summaries) {
        terminal.line("summaries, the first two:");
        for (Summary summary : summaries.subList(0, Math.min(2, summaries.size()))) {
            terminal.line("  " + summary.title() + ": " + summary.text());
        }
    }

    /** The state a {@code sluice.breaker.state} value stands for: 0 closed, 1 open, 2 half-open... */
    private static String stateOf(double gaugeValue) {
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            if (state.getOrder() == gaugeValue) {
                return state.name();
            }
        }
        return "unknown";
    }

    /** "download: succeeded 80 | summarize: failed 12 succeeded 80": a counter's counts by one tag, then another. */
    private String counts(String name, String groupTag, String valueTag, Map<String, Double> into) {
        Map<String, Map<String, Double>> groups = new TreeMap<>();
        for (Counter counter : registry.find(name).counters()) {
            if (counter.count() == 0) {
                continue;
            }
            String group = groupTag == null ? "" : counter.getId().getTag(groupTag);
            String value = counter.getId().getTag(valueTag);
            groups.computeIfAbsent(group, g -> new TreeMap<>()).merge(value, counter.count(), Double::sum);
            into.merge(name + (groupTag == null ? "" : " " + groupTag + "=" + group) + " " + valueTag + "=" + value,
                    counter.count(), Double::sum);
        }
        StringJoiner text = new StringJoiner(" | ");
        groups.forEach((group, values) -> {
            StringJoiner part = new StringJoiner(" ", group.isEmpty() ? "" : group + ": ", "");
            values.forEach((value, count) -> part.add(value + " " + Math.round(count)));
            text.add(part.toString());
        });
        return groups.isEmpty() ? "none" : text.toString();
    }
}
