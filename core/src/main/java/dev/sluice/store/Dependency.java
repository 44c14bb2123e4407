package dev.sluice.store;

import dev.sluice.JobId;
import dev.sluice.graph.FailurePolicy;

import java.util.Objects;

/**
 * An edge of a dependency graph as stored: the job it sits on waits for {@code parent}.
 *
 * @param parent   the job waited for
 * @param onFailure what happens to the dependent when the parent ends DEAD or CANCELLED
 */
public record Dependency(JobId parent, FailurePolicy onFailure) {

    public Dependency {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(onFailure, "onFailure");
    }
}
