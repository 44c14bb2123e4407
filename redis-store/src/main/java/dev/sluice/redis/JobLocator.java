package dev.sluice.redis;

import dev.sluice.JobId;
import io.lettuce.core.RedisFuture;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which slot group of a Cluster store holds a job, for the calls that name a job by id only (completions, lease
 * renewals, progress, find, cancel, history...). A job never changes group (its queue is fixed), so what this
 * store learned (the jobs it enqueued, claimed or found) is remembered, up to {@value #REMEMBERED} ids; any other
 * id is searched in every registered group at once: one EXISTS per group, pipelined.
 *
 * <p>Remembered locations assume that an id is never stored again in another group after its job was deleted,
 * which holds for ids from {@link JobId#next()}. Thread-safe.
 */
final class JobLocator {

    /** About 6 MB of entries at most; past it the memory starts again (later calls search). */
    static final int REMEMBERED = 65_536;

    private final RedisLink link;
    private final Supplier<List<String>> registeredGroups;
    private final Function<String, RedisJobStore> groupStore;
    private final Map<JobId, String> known = new ConcurrentHashMap<>();

    JobLocator(RedisLink link, Supplier<List<String>> registeredGroups, Function<String, RedisJobStore> groupStore) {
        this.link = link;
        this.registeredGroups = registeredGroups;
        this.groupStore = groupStore;
    }

    void remember(JobId id, String group) {
        if (known.size() >= REMEMBERED) {
            known.clear();
        }
        known.put(id, group);
    }

    /** The group of each id that is stored; ids stored nowhere are absent. */
    Map<JobId, String> locate(Collection<JobId> ids) {
        Map<JobId, String> found = new HashMap<>();
        List<JobId> unknown = new ArrayList<>();
        for (JobId id : new LinkedHashSet<>(ids)) {
            String group = known.get(id);
            if (group != null) {
                found.put(id, group);
            } else {
                unknown.add(id);
            }
        }
        if (!unknown.isEmpty()) {
            found.putAll(search(unknown));
        }
        return found;
    }

    /** The group of a stored job, or null. */
    String locate(JobId id) {
        return locate(List.of(id)).get(id);
    }

    /** Looks in every registered group and remembers what it finds. */
    private Map<JobId, String> search(List<JobId> ids) {
        List<String> groups = registeredGroups.get();
        Map<JobId, String> found = new HashMap<>();
        if (groups.isEmpty() || ids.isEmpty()) {
            return found;
        }
        List<RedisFuture<Long>> replies = new ArrayList<>(ids.size() * groups.size());
        for (JobId id : ids) {
            for (String group : groups) {
                replies.add(link.async().exists(groupStore.apply(group).jobKey(id)));
            }
        }
        link.awaitAll(replies, "job look-ups over " + groups.size() + " slot groups");
        int reply = 0;
        for (JobId id : ids) {
            for (String group : groups) {
                if (link.get(replies.get(reply++)) == 1) {
                    found.put(id, group);
                    remember(id, group);
                }
            }
        }
        return found;
    }
}
