package dev.sluice.fault.harness;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads every job hash and every index set of the store and checks that each job sits in exactly the set its
 * state names (READY: its queue's ready set of its priority; SCHEDULED: its queue's schedule; RUNNING: the lease
 * set, scored by its lease end; SUCCEEDED and CANCELLED: the finished set; DEAD: none), that no set holds
 * anything else, and that the per-queue counters and the unique-key index agree with the jobs.
 */
final class RedisInvariants {
    private static final String[] FIELDS = {"s", "q", "p", "le", "o", "u"};
    private final RedisCommands<String, String> redis;
    private final RedisAsyncCommands<String, String> async;
    private final String base;
    private final List<String> violations = new ArrayList<>();

    RedisInvariants(RedisCommands<String, String> redis, RedisAsyncCommands<String, String> async, String base) {
        this.redis = redis;
        this.async = async;
        this.base = base;
    }

    /** The fields of a job hash the checks read; state, queue and priority interned (a million jobs fit). */
    private record Fields(String state, String queue, String priority, String leaseEnd, String owner,
                          String uniqueKey) {
    }

    List<String> check() {
        List<String> ids = redis.zrange(base + "ids", 0, -1);
        Map<String, Fields> jobs = readJobs(ids);
        // the first index set of each member; members met in a second set go to `more` (a breach in itself)
        Map<String, String> memberships = new HashMap<>(ids.size() * 2);
        Map<String, List<String>> more = new HashMap<>();
        List<String> sets = new ArrayList<>(List.of(base + "running", base + "finished"));
        for (String q : redis.smembers(base + "queues")) {
            for (int w = 0; w <= 3; w++) {
                sets.add(base + "ready:" + q + ":" + w);
            }
            sets.add(base + "sched:" + q);
        }
        Map<String, Double> leaseScores = new HashMap<>();
        for (String set : sets) {
            String name = set.intern();
            for (ScoredValue<String> member : redis.zrangeWithScores(set, 0, -1)) {
                String first = memberships.putIfAbsent(member.getValue(), name);
                if (first != null) {
                    more.computeIfAbsent(member.getValue(), k -> new ArrayList<>(List.of(first))).add(name);
                }
                if (set.equals(base + "running")) {
                    leaseScores.put(member.getValue(), member.getScore());
                }
            }
        }
        Map<String, Map<String, Long>> counts = new HashMap<>();
        for (String id : ids) {
            Fields job = jobs.get(id);
            if (job == null || job.state() == null) {
                violations.add("job " + id + " is listed but has no hash");
                continue;
            }
            String state = job.state();
            counts.computeIfAbsent(job.queue(), k -> new HashMap<>()).merge(state, 1L, Long::sum);
            List<String> expected = expectedSets(state, job);
            List<String> actual = more.containsKey(id) ? more.get(id)
                    : memberships.containsKey(id) ? List.of(memberships.get(id)) : List.of();
            if (expected == null) {
                violations.add("job " + id + " is in no known state: '" + state + "'");
            } else if (!actual.equals(expected)) {
                violations.add("job " + id + " in state " + state + " is in " + actual + ", expected " + expected);
            }
            boolean running = "RUNNING".equals(state);
            if (running && (job.owner() == null || job.leaseEnd() == null || leaseScores.get(id) == null
                    || leaseScores.get(id) != Double.parseDouble(job.leaseEnd()))) {
                violations.add("RUNNING job " + id + " has no lease, or its lease set score differs");
            }
            if (!running && (job.owner() != null || job.leaseEnd() != null)) {
                violations.add("job " + id + " in state " + state + " holds a lease");
            }
        }
        for (Map.Entry<String, String> member : memberships.entrySet()) {
            if (!jobs.containsKey(member.getKey())) {
                violations.add("index set " + member.getValue() + " holds " + member.getKey()
                        + ", which is no listed job");
            }
        }
        checkCounts(counts);
        checkUniqueKeys(jobs);
        return violations;
    }

    private Map<String, Fields> readJobs(List<String> ids) {
        Map<String, Fields> jobs = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            List<RedisFuture<List<KeyValue<String, String>>>> futures = new ArrayList<>();
            for (String id : chunk) {
                futures.add(async.hmget(base + "job:" + id, FIELDS));
            }
            LettuceFutures.awaitAll(Duration.ofMinutes(1), futures.toArray(new RedisFuture[0]));
            for (int i = 0; i < chunk.size(); i++) {
                List<KeyValue<String, String>> v = futures.get(i).toCompletableFuture().join();
                jobs.put(chunk.get(i), new Fields(interned(v.get(0)), interned(v.get(1)), interned(v.get(2)),
                        value(v.get(3)), value(v.get(4)), value(v.get(5))));
            }
        }
        return jobs;
    }

    private static String value(KeyValue<String, String> kv) {
        return kv.hasValue() ? kv.getValue() : null;
    }

    private static String interned(KeyValue<String, String> kv) {
        return kv.hasValue() ? kv.getValue().intern() : null;
    }

    private List<String> expectedSets(String state, Fields job) {
        switch (state) {
            case "READY":
                return List.of(base + "ready:" + job.queue() + ":" + job.priority());
            case "SCHEDULED":
                return List.of(base + "sched:" + job.queue());
            case "RUNNING":
                return List.of(base + "running");
            case "SUCCEEDED":
            case "CANCELLED":
                return List.of(base + "finished");
            case "DEAD":
            case "WAITING":
                return List.of();
            default:
                return null;
        }
    }

    private void checkCounts(Map<String, Map<String, Long>> actual) {
        for (String q : redis.smembers(base + "queues")) {
            Map<String, String> counted = redis.hgetall(base + "count:" + q);
            Map<String, Long> real = actual.getOrDefault(q, Map.of());
            for (String state : List.of("WAITING", "SCHEDULED", "READY", "RUNNING", "SUCCEEDED", "DEAD",
                    "CANCELLED")) {
                long kept = Long.parseLong(counted.getOrDefault(state, "0"));
                long found = real.getOrDefault(state, 0L);
                if (kept != found) {
                    violations.add("queue '" + q + "' counts " + kept + " " + state + " jobs but holds " + found);
                }
            }
        }
    }

    private void checkUniqueKeys(Map<String, Fields> jobs) {
        List<String> live = List.of("WAITING", "SCHEDULED", "READY", "RUNNING");
        Map<String, String> holders = redis.hgetall(base + "unique");
        for (Map.Entry<String, String> holder : holders.entrySet()) {
            Fields job = jobs.get(holder.getValue());
            String state = job == null ? null : job.state();
            if (job == null || !holder.getKey().equals(job.uniqueKey()) || !live.contains(state)) {
                violations.add("unique key '" + holder.getKey() + "' is held by " + holder.getValue()
                        + ", which is not a live job with that key (" + state + ")");
            }
        }
        for (Map.Entry<String, Fields> job : jobs.entrySet()) {
            String key = job.getValue().uniqueKey();
            if (key != null && live.contains(job.getValue().state()) && !job.getKey().equals(holders.get(key))) {
                violations.add("live job " + job.getKey() + " has unique key '" + key
                        + "' but the index names " + holders.get(key));
            }
        }
    }
}
