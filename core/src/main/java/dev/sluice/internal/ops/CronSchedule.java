package dev.sluice.internal.ops;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Fire times of a cron expression in a time zone, by cron-utils: five fields (minute hour day-of-month month
 * day-of-week, Unix syntax) or six with seconds first (Spring syntax). Times are whole seconds; local times that a
 * daylight-saving change skips or repeats are handled by cron-utils.
 */
public final class CronSchedule implements Schedule {

    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser SECONDS =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;

    private CronSchedule(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /** @throws IllegalArgumentException naming the expression and what is wrong with it */
    public static CronSchedule parse(String expression, ZoneId zone) {
        Objects.requireNonNull(zone, "zone of cron '" + expression + "'");
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("cron expression must not be null or blank but was "
                    + (expression == null ? "null" : "'" + expression + "'"));
        }
        String trimmed = expression.trim();
        int fields = trimmed.split("\\s+").length;
        if (fields != 5 && fields != 6) {
            throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields
                    + " fields; give 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)");
        }
        Cron cron;
        try {
            cron = (fields == 5 ? UNIX : SECONDS).parse(trimmed).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cron expression '" + expression + "' is not valid: "
                    + e.getMessage(), e);
        }
        return new CronSchedule(trimmed, zone, ExecutionTime.forCron(cron));
    }

    @Override
    public Optional<Instant> nextAfter(Instant time) {
        return times.nextExecution(ZonedDateTime.ofInstant(time, zone)).map(ZonedDateTime::toInstant);
    }

    @Override
    public Optional<Instant> latestBefore(Instant time) {
        // cron-utils works in whole seconds: a time inside a second counts from that second's end, so that a fire
        // at 02:00:00 is before 02:00:00.001.
        Instant from = time.truncatedTo(ChronoUnit.SECONDS).equals(time) ? time
                : time.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        Optional<Instant> last = times.lastExecution(ZonedDateTime.ofInstant(from, zone))
                .map(ZonedDateTime::toInstant);
        return last.filter(t -> t.isBefore(time));
    }

    @Override
    public Optional<ZoneId> zone() {
        return Optional.of(zone);
    }

    @Override
    public String describe() {
        return "cron '" + expression + "' in " + zone;
    }
}
