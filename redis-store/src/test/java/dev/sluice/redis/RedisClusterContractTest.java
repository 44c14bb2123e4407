package dev.sluice.redis;

import dev.sluice.store.JobStore;
import dev.sluice.store.contract.JobStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The store contract kit on a real Redis Cluster of three masters ({@link LocalRedisCluster}), each store in
 * cluster mode with the default layout: every queue of the kit in a slot group of its own, so the kit's queues
 * spread over the masters, and every path crosses slot groups the way it would in production. Redis checks in
 * cluster mode that no script touches a key outside its declared key's slot.
 *
 * <p>The tests that a Cluster's documented rules (README.md, "Redis Cluster") exclude are skipped by name with
 * the rule as the reason ({@link ClusterRules}); everything else of the kit runs.
 */
@ExtendWith(RedisClusterContractTest.ClusterRules.class)
class RedisClusterContractTest extends JobStoreContract {

    @BeforeAll
    static void clusterAvailable() {
        LocalRedisCluster.assumeAvailable();
    }

    @Override
    protected JobStore newStore(Clock clock, Duration agingStep) {
        return LocalRedisCluster.newStore(clock, agingStep);
    }

    @Override
    protected void closeStore(JobStore store) {
        LocalRedisCluster.closeStore(store);
    }

    /** Skips the kit's tests that a documented Cluster rule excludes, naming the rule. */
    static final class ClusterRules implements ExecutionCondition {

        private static final Map<String, String> EXCLUDED = Map.of(
                "twoParentsCompletingAtOnceReleaseTheirChildExactlyOnce", "Cluster rule: a dependency graph lives "
                        + "in one slot group. The kit's children (queue 'children') depend on parents in queue "
                        + "'default', two slot groups here, so the enqueue is refused (RedisClusterTest checks the "
                        + "refusal, and the same race within one queue group)");

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            String reason = context.getTestMethod().map(Method::getName).map(EXCLUDED::get).orElse(null);
            return reason == null ? ConditionEvaluationResult.enabled("no Cluster rule excludes it")
                    : ConditionEvaluationResult.disabled(reason);
        }
    }
}
