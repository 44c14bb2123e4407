package dev.sluice.internal.ops;

import dev.sluice.ops.MisfirePolicy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class FirePlannerTest {

    private static final Schedule HOURLY = new IntervalSchedule(Duration.ofHours(1), Instant.EPOCH);
    private static final Instant NOON = Instant.parse("2026-05-04T12:00:00Z");

    @Test
    void aFireJustDueIsStoredOnce() {
        FirePlanner.Plan plan = FirePlanner.plan(HOURLY, MisfirePolicy.skip(), NOON.minusSeconds(3600),
                NOON.plusMillis(300));

        assertThat(plan.fires()).containsExactly(NOON);
        assertThat(plan.skippedUpTo()).isNull();
    }

    @Test
    void nothingIsDueBeforeTheNextFire() {
        FirePlanner.Plan plan = FirePlanner.plan(HOURLY, MisfirePolicy.skip(), NOON, NOON.plusSeconds(3599));

        assertThat(plan.fires()).isEmpty();
        assertThat(plan.skippedUpTo()).isNull();
    }

    @Test
    void skipStoresOnlyTheLatestDueFireWithinItsGrace() {
        Instant now = NOON.plusSeconds(30);
        FirePlanner.Plan plan = FirePlanner.plan(HOURLY, MisfirePolicy.skip(), NOON.minus(Duration.ofHours(5)), now);

        assertThat(plan.fires()).containsExactly(NOON);
        assertThat(plan.skippedUpTo()).isEqualTo(NOON.minus(Duration.ofHours(1)));
    }

    @Test
    void skipDropsEveryMissedFireOlderThanItsGrace() {
        Instant now = NOON.plusSeconds(61);
        FirePlanner.Plan plan = FirePlanner.plan(HOURLY, MisfirePolicy.skip(), NOON.minus(Duration.ofHours(5)), now);

        assertThat(plan.fires()).isEmpty();
        assertThat(plan.skippedUpTo()).isEqualTo(NOON);
    }

    @Test
    void catchUpStoresTheMostRecentMissedFiresOldestFirst() {
        Instant now = NOON.plus(Duration.ofMinutes(20));
        FirePlanner.Plan plan = FirePlanner.plan(HOURLY, MisfirePolicy.catchUp(3),
                NOON.minus(Duration.ofHours(10)), now);

        assertThat(plan.fires()).containsExactly(NOON.minus(Duration.ofHours(2)), NOON.minus(Duration.ofHours(1)),
                NOON);
        assertThat(plan.skippedUpTo()).isEqualTo(NOON.minus(Duration.ofHours(3)));
    }

    @Test
    void catchUpWithinItsLimitSkipsNothing() {
        FirePlanner.Plan plan = FirePlanner.plan(HOURLY, MisfirePolicy.catchUp(5),
                NOON.minus(Duration.ofHours(2)), NOON.plusSeconds(1));

        assertThat(plan.fires()).containsExactly(NOON.minus(Duration.ofHours(1)), NOON);
        assertThat(plan.skippedUpTo()).isNull();
    }

    @Test
    void aFireAtTheLastStoredTimeIsNotStoredAgain() {
        FirePlanner.Plan plan = FirePlanner.plan(HOURLY, MisfirePolicy.catchUp(5), NOON, NOON.plusMillis(1));

        assertThat(plan.fires()).isEmpty();
    }

    @Test
    void cronFiresFollowTheZonesClockAcrossDaylightSavingChanges() {
        Schedule nine = CronSchedule.parse("0 9 * * *", ZoneId.of("Europe/Paris"));

        // 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer (clocks went forward on 29 March 2026).
        assertThat(nine.nextAfter(Instant.parse("2026-03-28T00:00:00Z")))
                .contains(Instant.parse("2026-03-28T08:00:00Z"));
        assertThat(nine.nextAfter(Instant.parse("2026-03-29T00:00:00Z")))
                .contains(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(nine.latestAtOrBefore(Instant.parse("2026-03-29T07:00:00Z")))
                .contains(Instant.parse("2026-03-29T07:00:00Z"));
        assertThat(nine.latestBefore(Instant.parse("2026-03-29T07:00:00Z")))
                .contains(Instant.parse("2026-03-28T08:00:00Z"));
    }

    @Test
    void sixFieldCronCountsSeconds() {
        Schedule everyTen = CronSchedule.parse("*/10 * * * * *", ZoneOffset.UTC);

        FirePlanner.Plan plan = FirePlanner.plan(everyTen, MisfirePolicy.catchUp(10), NOON, NOON.plusSeconds(35));

        assertThat(plan.fires()).containsExactly(NOON.plusSeconds(10), NOON.plusSeconds(20), NOON.plusSeconds(30));
    }

    @Test
    void intervalFiresCountFromTheirAnchor() {
        Instant anchor = Instant.parse("2026-01-01T00:07:00Z");
        Schedule every15 = new IntervalSchedule(Duration.ofMinutes(15), anchor);

        assertThat(every15.nextAfter(NOON)).contains(NOON.plus(Duration.ofMinutes(7)));
        assertThat(every15.latestAtOrBefore(NOON)).contains(NOON.minus(Duration.ofMinutes(8)));
        assertThat(every15.nextAfter(anchor.minusSeconds(1))).contains(anchor);
    }
}
