package dev.sluice.redis;

import dev.sluice.store.SharedRateLimits.PermitGrant;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The shared rate limits of {@link RedisJobStore} (rate_limit.lua): one string per limit,
 * {@code {p}rate:<name>}, holding its window's number and the permits granted in it. One script call per take,
 * so concurrent takes from any number of stores never grant more than the limit in a window.
 */
final class RedisRateLimits {

    private final ScriptRunner scripts;
    private final Clock clock;

    RedisRateLimits(ScriptRunner scripts, Clock clock) {
        this.scripts = scripts;
        this.clock = clock;
    }

    PermitGrant take(String name, int wanted, int limit, long periodMillis) {
        Objects.requireNonNull(name, "name");
        if (wanted < 1 || limit < 1 || periodMillis < 1 || periodMillis > Args.MAX_DURATION_MILLIS) {
            throw new IllegalArgumentException("wanted and limit must be >= 1 and periodMillis in 1.."
                    + Args.MAX_DURATION_MILLIS + " (100 years) but were " + wanted + ", " + limit + ", "
                    + periodMillis + " (limit '" + name + "')");
        }
        List<Object> reply = scripts.runList(Script.RATE_LIMIT, new Args(5).now(clock).add(name).add(wanted)
                .add(limit).add(periodMillis).toArray());
        return new PermitGrant(Replies.toInt(reply.get(0)), Replies.toLong(reply.get(1)));
    }
}
