package dev.sluice.graph;

import dev.sluice.JobId;
import dev.sluice.JobRequest;
import dev.sluice.internal.graph.Adjacency;
import dev.sluice.internal.graph.GraphAccess;
import dev.sluice.internal.graph.GraphArrays;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Jobs with dependencies between them, stored in one atomic store call by {@code Sluice.submit(JobGraph)}: all
 * of them or none. Each job has a key, unique in the graph, that edges and the returned {@link GraphHandle} name it
 * by. A job waits (WAITING) until every parent has succeeded, then runs; what a parent's failure does to it is the
 * edge's {@link FailurePolicy}. A job may also depend on a job submitted earlier, by its {@link JobId}.
 *
 * <pre>{@code
 * JobGraph graph = JobGraph.builder()
 *         .job("extract", JobRequest.of("extract", "2024-06-01.csv"))
 *         .job("clean-eu", JobRequest.of("clean", "eu"))
 *         .job("clean-us", JobRequest.of("clean", "us"))
 *         .job("load", JobRequest.of("load", "warehouse"))
 *         .fanOut("extract", List.of("clean-eu", "clean-us"))     // both wait for extract
 *         .dependsOn("load", "clean-eu", "clean-us")               // load waits for both
 *         .build();
 * GraphHandle handle = sluice.submit(graph);
 * }</pre>
 *
 * <p>Made by {@link #builder()}; {@link Builder#build()} checks the graph before anything is stored: an edge that
 * names a key the graph does not have, a repeated edge or a job that depends on itself throws
 * {@link IllegalArgumentException} naming it; a cycle throws {@link GraphCycleException} naming the jobs on it; a
 * graph of more than {@link Builder#maxNodes} jobs (default {@value #DEFAULT_MAX_NODES}) is refused. Edges to
 * earlier jobs are checked by the store when the graph is submitted (an unknown id throws
 * {@link IllegalArgumentException} naming it). Immutable and thread-safe.
 */
public final class JobGraph {

    /** The most jobs a graph may hold unless {@link Builder#maxNodes} says otherwise. */
    public static final int DEFAULT_MAX_NODES = 100_000;

    /** The key of a group's on-complete job (see {@link #group}). */
    public static final String GROUP_CALLBACK = "on-complete";

    static final int MAX_KEY_LENGTH = 200;

    private final GraphArrays arrays;
    /** Key to the index the job was added at; never changed once the graph holds it. */
    private final Map<String, Integer> indexes;
    /** Insertion index to position. */
    private final int[] positionOfIndex;

    static {
        GraphAccess.install(new GraphAccess() {
            @Override
            public GraphArrays arrays(JobGraph graph) {
                return graph.arrays;
            }

            @Override
            public GraphHandle handle(JobGraph graph, JobId[] ids) {
                return new GraphHandle(graph.arrays.keys(), ids, graph.indexes, graph.positionOfIndex);
            }
        });
    }

    JobGraph(GraphArrays arrays, Map<String, Integer> indexes, int[] positionOfIndex) {
        this.arrays = arrays;
        this.indexes = indexes;
        this.positionOfIndex = positionOfIndex;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A job group: {@code members} run independently (as far as the graph goes), and {@code onComplete} runs once
     * all of them have ended, whether they succeeded, ended DEAD or were cancelled (every edge is
     * {@link FailurePolicy#RUN_DEPENDENTS}). Its handler reads the outcome with {@link GroupSummary#of}. Members
     * are keyed {@link #memberKey(int) member-0, member-1...}, the callback {@value #GROUP_CALLBACK}. At most
     * {@value #DEFAULT_MAX_NODES} jobs in all; for larger groups use {@link Builder#group} after
     * {@link Builder#maxNodes}.
     *
     * @throws IllegalArgumentException when members is empty or a request is null
     */
    public static JobGraph group(List<JobRequest> members, JobRequest onComplete) {
        return builder().group(members, onComplete).build();
    }

    /** The key of the {@code index}-th member of a {@link #group}: {@code "member-" + index}. */
    public static String memberKey(int index) {
        return "member-" + index;
    }

    /** How many jobs the graph holds. */
    public int size() {
        return arrays.size();
    }

    /** The keys of the jobs in an order where every job comes after its parents (the order they are stored in). */
    public List<String> keys() {
        return Collections.unmodifiableList(Arrays.asList(arrays.keys()));
    }

    public boolean contains(String key) {
        return indexes.containsKey(key);
    }

    /** @throws IllegalArgumentException when the graph has no job {@code key} */
    public JobRequest request(String key) {
        return arrays.requests()[positionOf(key)];
    }

    /** The edges job {@code key} waits on, in the order they were declared. */
    public List<Edge> parentsOf(String key) {
        int position = positionOf(key);
        Adjacency parents = arrays.parents();
        Edge[] edges = new Edge[parents.to(position) - parents.from(position)];
        for (int e = parents.from(position); e < parents.to(position); e++) {
            int parent = parents.targets()[e];
            edges[e - parents.from(position)] = new Edge(parent < 0 ? null : arrays.keys()[parent],
                    arrays.externalParent(e), arrays.policy(e));
        }
        return List.of(edges);
    }

    /** The keys of the jobs in the graph that wait on job {@code key}, in the graph's order. */
    public List<String> childrenOf(String key) {
        int position = positionOf(key);
        Adjacency children = arrays.children();
        String[] out = new String[children.to(position) - children.from(position)];
        for (int e = children.from(position); e < children.to(position); e++) {
            out[e - children.from(position)] = arrays.keys()[children.targets()[e]];
        }
        return List.of(out);
    }

    /** The plan with every job estimated at one second: the critical path is then the longest chain of jobs. */
    public GraphPlan plan() {
        return plan(DurationEstimates.uniform(DurationEstimates.DEFAULT_ESTIMATE));
    }

    /**
     * The execution plan: levels of jobs that can run at the same time, and the critical path under the given
     * duration estimates.
     *
     * @throws IllegalArgumentException when an estimate names a key the graph does not have
     */
    public GraphPlan plan(DurationEstimates estimates) {
        return new GraphPlan(this, Objects.requireNonNull(estimates, "estimates"));
    }

    @Override
    public String toString() {
        return "JobGraph{" + arrays.size() + " jobs}";
    }

    int positionOf(String key) {
        Integer index = indexes.get(key);
        if (index == null) {
            throw new IllegalArgumentException("the graph has no job with key " + quote(key));
        }
        return positionOfIndex[index];
    }

    GraphArrays arrays() {
        return arrays;
    }

    static String quote(String key) {
        return key == null ? "null" : "'" + key + "'";
    }

    /**
     * One edge as declared: the job it sits on waits for the parent, either a job of the same graph
     * ({@code parentKey}) or a job stored earlier ({@code parentId}); exactly one of the two is set.
     *
     * @param parentKey the parent's key in the graph, or null
     * @param parentId  the id of a job submitted earlier, or null
     * @param onFailure what the job does when that parent ends DEAD or CANCELLED
     */
    public record Edge(String parentKey, JobId parentId, FailurePolicy onFailure) {

        public Edge {
            if ((parentKey == null) == (parentId == null)) {
                throw new IllegalArgumentException("an edge names its parent by key or by id, exactly one, but had"
                        + " key " + quote(parentKey) + " and id " + parentId);
            }
            Objects.requireNonNull(onFailure, "onFailure");
        }

        /** True when the parent is a job submitted earlier rather than a job of this graph. */
        public boolean external() {
            return parentId != null;
        }

        /** The parent as text: its key, or its id. */
        public String parentName() {
            return parentKey != null ? parentKey : parentId.toString();
        }
    }

    /**
     * Builds a {@link JobGraph}. Jobs and edges may come in any order; {@link #build()} checks them. Not
     * thread-safe.
     */
    public static final class Builder {
        private final GraphAssembler assembler = new GraphAssembler();

        private Builder() {
        }

        /**
         * The most jobs the graph may hold. Default {@value JobGraph#DEFAULT_MAX_NODES}; set it before adding more
         * jobs than that. The whole graph is stored in one store call and held in memory while it is built.
         */
        public Builder maxNodes(int maxNodes) {
            assembler.maxNodes(maxNodes);
            return this;
        }

        /** The policy of edges declared without one. Default {@link FailurePolicy#CANCEL_DEPENDENTS}. */
        public Builder failurePolicy(FailurePolicy policy) {
            assembler.defaultPolicy = Objects.requireNonNull(policy, "failurePolicy");
            return this;
        }

        /**
         * Adds a job under a key unique in the graph (non-blank, at most 200 characters, no control characters).
         *
         * @throws IllegalArgumentException when the key is bad or taken, or the graph is full
         */
        public Builder job(String key, JobRequest request) {
            assembler.add(key, request);
            return this;
        }

        /** Job {@code child} waits for each of {@code parents} (a fan-in), under the graph's failure policy. */
        public Builder dependsOn(String child, String... parents) {
            return dependsOn(child, null, parents);
        }

        /** Job {@code child} waits for each of {@code parents}, with {@code onFailure} on those edges. */
        public Builder dependsOn(String child, FailurePolicy onFailure, String... parents) {
            Objects.requireNonNull(parents, "parents");
            for (String parent : parents) {
                assembler.edge(child, parent, onFailure);
            }
            return this;
        }

        /** Job {@code child} waits for each of {@code parents} (a fan-in), under the graph's failure policy. */
        public Builder dependsOnAll(String child, Collection<String> parents) {
            Objects.requireNonNull(parents, "parents");
            for (String parent : parents) {
                assembler.edge(child, parent, null);
            }
            return this;
        }

        /** Each of {@code children} waits for job {@code parent} (a fan-out), under the graph's failure policy. */
        public Builder fanOut(String parent, Collection<String> children) {
            Objects.requireNonNull(children, "children");
            for (String child : children) {
                assembler.edge(child, parent, null);
            }
            return this;
        }

        /** Job {@code child} waits for a job submitted earlier, under the graph's failure policy. */
        public Builder dependsOnJob(String child, JobId parent) {
            return dependsOnJob(child, parent, null);
        }

        /**
         * Job {@code child} waits for a job submitted earlier. A parent that already succeeded counts as done; one
         * that is DEAD or CANCELLED applies {@code onFailure} at once.
         */
        public Builder dependsOnJob(String child, JobId parent, FailurePolicy onFailure) {
            assembler.edge(child, Objects.requireNonNull(parent, "parent"), onFailure);
            return this;
        }

        /**
         * Adds a job group (see {@link JobGraph#group}): each member under {@link JobGraph#memberKey}, and
         * {@code onComplete} under {@value JobGraph#GROUP_CALLBACK}, waiting for all of them with
         * {@link FailurePolicy#RUN_DEPENDENTS}.
         */
        public Builder group(List<JobRequest> members, JobRequest onComplete) {
            Objects.requireNonNull(members, "members");
            if (members.isEmpty()) {
                throw new IllegalArgumentException("a job group needs at least one member but was given none");
            }
            job(GROUP_CALLBACK, onComplete);
            for (int i = 0; i < members.size(); i++) {
                String key = memberKey(i);
                job(key, members.get(i));
                assembler.edge(GROUP_CALLBACK, key, FailurePolicy.RUN_DEPENDENTS);
            }
            return this;
        }

        /**
         * @throws GraphCycleException      naming the jobs on a cycle
         * @throws IllegalArgumentException naming an edge to a key the graph does not have, a repeated edge, or
         *                                  an empty graph
         */
        public JobGraph build() {
            return assembler.build();
        }
    }
}
