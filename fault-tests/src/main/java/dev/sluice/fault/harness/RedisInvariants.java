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

    List<String> check() {
        List<String> ids = redis.zrange(base + "ids", 0, -1);
        Map<String, Map<String, String>> jobs = readJobs(ids);
        Map<String, List<String>> memberships = new HashMap<>();
        List<String> sets = new ArrayList<>(List.of(base + "running", base + "finished"));
        for (String q : redis.smembers(base + "queues")) {
            for (int w = 0; w <= 3; w++) {
                sets.add(base + "ready:" + q + ":" + w);
            }
            sets.add(base + "sched:" + q);
        }
        Map<String, Double> leaseScores = new HashMap<>();
        for (String set : sets) {
            for (ScoredValue<String> member : redis.zrangeWithScores(set, 0, -1)) {
                memberships.computeIfAbsent(member.getValue(), k -> new ArrayList<>()).add(set);
                if (set.equals(base + "running")) {
                    leaseScores.put(member.getValue(), member.getScore());
                }
            }
        }
        Map<String, Map<String, Long>> counts = new HashMap<>();
        for (String id : ids) {
            Map<String, String> job = jobs.get(id);
            if (job == null || job.get("s") == null) {
                violations.add("job " + id + " is listed but has no hash");
                continue;
            }
            String state = job.get("s");
            counts.computeIfAbsent(job.get("q"), k -> new HashMap<>()).merge(state, 1L, Long::sum);
            List<String> expected = expectedSets(state, job);
            List<String> actual = memberships.getOrDefault(id, List.of());
            if (expected == null) {
                violations.add("job " + id + " is in no known state: '" + state + "'");
            } else if (!actual.equals(expected)) {
                violations.add("job " + id + " in state " + state + " is in " + actual + ", expected " + expected);
            }
            if ("RUNNING".equals(state) && (job.get("o") == null || job.get("le") == null
                    || leaseScores.get(id) == null || leaseScores.get(id) != Double.parseDouble(job.get("le")))) {
                violations.add("RUNNING job " + id + " has no lease, or its lease set score differs");
            }
            if (!"RUNNING".equals(state) && (job.get("o") != null || job.get("le") != null)) {
                violations.add("job " + id + " in state " + state + " holds a lease");
            }
        }
        for (String member : memberships.keySet()) {
            if (!jobs.containsKey(member)) {
                violations.add("index sets hold " + member + ", which is no listed job: "
                        + memberships.get(member));
            }
        }
        checkCounts(counts);
        checkUniqueKeys(jobs);
        return violations;
    }

    private Map<String, Map<String, String>> readJobs(List<String> ids) {
        Map<String, Map<String, String>> jobs = new HashMap<>(ids.size() * 2);
        for (int from = 0; from < ids.size(); from += 1000) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 1000));
            List<RedisFuture<List<KeyValue<String, String>>>> futures = new ArrayList<>();
            for (String id : chunk) {
                futures.add(async.hmget(base + "job:" + id, FIELDS));
            }
            LettuceFutures.awaitAll(Duration.ofMinutes(1), futures.toArray(new RedisFuture[0]));
            for (int i = 0; i < chunk.size(); i++) {
                Map<String, String> fields = new HashMap<>();
                for (KeyValue<String, String> kv : futures.get(i).toCompletableFuture().join()) {
                    if (kv.hasValue()) {
                        fields.put(kv.getKey(), kv.getValue());
                    }
                }
                jobs.put(chunk.get(i), fields);
            }
        }
        return jobs;
    }

    private List<String> expectedSets(String state, Map<String, String> job) {
        switch (state) {
            case "READY":
                return List.of(base + "ready:" + job.get("q") + ":" + job.get("p"));
            case "SCHEDULED":
                return List.of(base + "sched:" + job.get("q"));
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

    private void checkUniqueKeys(Map<String, Map<String, String>> jobs) {
        Map<String, String> holders = redis.hgetall(base + "unique");
        for (Map.Entry<String, String> holder : holders.entrySet()) {
            Map<String, String> job = jobs.get(holder.getValue());
            String state = job == null ? null : job.get("s");
            if (job == null || !holder.getKey().equals(job.get("u"))
                    || !List.of("WAITING", "SCHEDULED", "READY", "RUNNING").contains(state)) {
                violations.add("unique key '" + holder.getKey() + "' is held by " + holder.getValue()
                        + ", which is not a live job with that key (" + state + ")");
            }
        }
        for (Map.Entry<String, Map<String, String>> job : jobs.entrySet()) {
            String key = job.getValue().get("u");
            String state = job.getValue().get("s");
            if (key != null && List.of("WAITING", "SCHEDULED", "READY", "RUNNING").contains(state)
                    && !job.getKey().equals(holders.get(key))) {
                violations.add("live job " + job.getKey() + " has unique key '" + key
                        + "' but the index names " + holders.get(key));
            }
        }
    }
}
