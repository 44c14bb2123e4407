package dev.sluice.graph;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How long each job of a graph is expected to run, for its {@link GraphPlan}: by the job's key, else by its job
 * type, else a fallback (default one second). Made by {@link #builder()} or {@link #uniform}; immutable.
 *
 * <pre>{@code
 * GraphPlan plan = graph.plan(DurationEstimates.builder()
 *         .type("clean", Duration.ofSeconds(40))
 *         .node("extract", Duration.ofMinutes(3))
 *         .build());
 * }</pre>
 */
public final class DurationEstimates {

    /** The estimate of jobs that nothing else names. */
    public static final Duration DEFAULT_ESTIMATE = Duration.ofSeconds(1);

    private final Map<String, Duration> byKey;
    private final Map<String, Duration> byType;
    private final Duration otherwise;

    private DurationEstimates(Builder b) {
        this.byKey = Map.copyOf(b.byKey);
        this.byType = Map.copyOf(b.byType);
        this.otherwise = b.otherwise;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every job estimated at {@code each}. */
    public static DurationEstimates uniform(Duration each) {
        return builder().otherwise(each).build();
    }

    /** The estimate of a job: its key's, else its type's, else the fallback. */
    public Duration of(String key, String type) {
        Duration estimate = byKey.get(key);
        if (estimate == null) {
            estimate = byType.getOrDefault(type, otherwise);
        }
        return estimate;
    }

    /** The keys given their own estimate. */
    public Set<String> keys() {
        return byKey.keySet();
    }

    /** Builds {@link DurationEstimates}; each setter rejects a null or negative duration, naming it. */
    public static final class Builder {
        private final Map<String, Duration> byKey = new HashMap<>();
        private final Map<String, Duration> byType = new HashMap<>();
        private Duration otherwise = DEFAULT_ESTIMATE;

        private Builder() {
        }

        /** The estimate of the job with this key; wins over its type's. */
        public Builder node(String key, Duration estimate) {
            byKey.put(Objects.requireNonNull(key, "key"), check("job " + key, estimate));
            return this;
        }

        /** The estimate of every job of this job type that has no estimate of its own. */
        public Builder type(String type, Duration estimate) {
            byType.put(Objects.requireNonNull(type, "type"), check("type " + type, estimate));
            return this;
        }

        /** The estimate of the jobs nothing else names. Default {@link #DEFAULT_ESTIMATE one second}. */
        public Builder otherwise(Duration estimate) {
            otherwise = check("otherwise", estimate);
            return this;
        }

        public DurationEstimates build() {
            return new DurationEstimates(this);
        }

        private static Duration check(String what, Duration estimate) {
            if (estimate == null || estimate.isNegative()) {
                throw new IllegalArgumentException("estimate of " + what + " must be zero or positive but was "
                        + estimate);
            }
            return estimate;
        }
    }
}
