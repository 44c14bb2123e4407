package dev.sluice.redis;

/**
 * The store's Lua scripts, one {@code .lua} resource each beside this class, each declaring its flags on a
 * {@code #!lua} first line. The scripts that add caller data (enqueue, progress, history) lack {@code allow-oom}:
 * when memory is full, Redis refuses them before any write. Those that move, end or delete work declare
 * {@code allow-oom}, so that a full Redis can still drain and be purged (they add little or free memory); the
 * read-only ones declare {@code no-writes}.
 */
enum Script {
    ENQUEUE("enqueue"),
    CLAIM("claim"),
    COMPLETE("complete"),
    RENEW("renew"),
    RECOVER("recover"),
    PROGRESS("progress"),
    CANCEL("cancel"),
    QUEUE_STATE("queue_state"),
    REPRIORITIZE("reprioritize"),
    RETRY("retry"),
    STATS("stats"),
    LIST("list"),
    CANCEL_WAITING("cancel_waiting"),
    PURGE("purge"),
    HISTORY("history"),
    LEASE("lease"),
    LEADER("leader"),
    NODE("node"),
    NODES("nodes");

    final String resource;

    Script(String name) {
        this.resource = name + ".lua";
    }
}
