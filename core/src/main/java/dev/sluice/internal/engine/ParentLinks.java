package dev.sluice.internal.engine;

import dev.sluice.store.Dependency;
import dev.sluice.store.NewJob;

import java.util.List;

/** The parents of each job of one submit (dependency graphs): jobs stored earlier, or earlier jobs of the submit. */
public interface ParentLinks {

    /**
     * @param index   the job's position in the submit
     * @param earlier the jobs of the submit before it, prepared: their ids are assigned
     * @return its edges, empty for none
     */
    List<Dependency> parentsOf(int index, List<NewJob> earlier);

    /** The job at {@code index} as error messages name it (for a graph, its key). */
    String describe(int index);
}
