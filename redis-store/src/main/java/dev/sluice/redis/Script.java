package dev.sluice.redis;

/**
 * The store's Lua scripts, one {@code .lua} resource each beside this class. Every script that writes declares
 * {@code #!lua flags=} without {@code allow-oom}, so Redis refuses it before any write when memory is full;
 * the read-only ones declare {@code no-writes}.
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
