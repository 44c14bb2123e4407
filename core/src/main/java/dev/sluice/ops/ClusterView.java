package dev.sluice.ops;

import java.time.Instant;
import java.util.List;

/**
 * The cluster at one moment, as the admin API shows it: nodes from the registry, the maintenance leader, and
 * queues with their depth and rates.
 *
 * @param at     when it was put together (this node's clock)
 * @param leader the maintenance leader, or null when no node leads now
 * @param nodes  the nodes whose heartbeat is recent, by id
 * @param queues the queues the store knows, by name
 */
public record ClusterView(Instant at, Leader leader, List<Node> nodes, List<Queue> queues) {

    public ClusterView {
        nodes = List.copyOf(nodes);
        queues = List.copyOf(queues);
    }

    /**
     * The maintenance lease.
     *
     * @param nodeId       the leading node
     * @param fencingToken grows each time the lease changes hands
     * @param expiresAt    when it lapses unless renewed, on the store's clock
     */
    public record Leader(String nodeId, long fencingToken, Instant expiresAt) {
    }

    /**
     * A node as it last reported itself.
     *
     * @param nodeId    unique to the process
     * @param host      host name, for people
     * @param startedAt when its engine started
     * @param lastSeen  its latest heartbeat, on the store's clock
     * @param workers   its worker slots (0 for a producer-only node)
     * @param running   jobs it held at the heartbeat
     * @param leader    true when it is the maintenance leader
     */
    public record Node(String nodeId, String host, Instant startedAt, Instant lastSeen, int workers, int running,
                       boolean leader) {
    }

    /**
     * A queue, from the latest store stats snapshot. Rates are the change of the store's counts over the last
     * minute of snapshots (one per observer refresh): cluster-wide estimates, which read low while retention (or the
     * in-memory store's own limit on finished jobs) deletes finished jobs, and are 0 until two snapshots exist.
     *
     * @param queue              the name
     * @param paused             whether claims skip it
     * @param depth              jobs not yet started: waiting + scheduled + ready
     * @param waiting            WAITING jobs (parents not done)
     * @param scheduled          SCHEDULED jobs
     * @param ready              READY jobs
     * @param running            RUNNING jobs
     * @param succeeded          SUCCEEDED jobs kept
     * @param dead               DEAD jobs kept
     * @param cancelled          CANCELLED jobs kept
     * @param oldestReadyAt      when the longest-waiting READY job became ready, or null
     * @param submittedPerSecond jobs added per second
     * @param finishedPerSecond  jobs that reached SUCCEEDED, DEAD or CANCELLED per second
     */
    public record Queue(String queue, boolean paused, long depth, long waiting, long scheduled, long ready,
                        long running, long succeeded, long dead, long cancelled, Instant oldestReadyAt,
                        double submittedPerSecond, double finishedPerSecond) {
    }
}
