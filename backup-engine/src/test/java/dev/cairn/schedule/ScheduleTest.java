package dev.cairn.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId UTC = ZoneId.of("UTC");

    static Instant at(String s) {
        return ZonedDateTime.parse(s).toInstant();
    }

    static String next(String schedule, String after, ZoneId zone) {
        return ZonedDateTime.ofInstant(Schedule.parse(schedule, zone).next(at(after)), zone).toString();
    }

    @Test
    void cronFieldsListsRangesStepsAndNames() {
        assertThat(next("30 2 * * *", "2026-11-29T10:00Z[UTC]", UTC)).isEqualTo("2026-11-30T02:30Z[UTC]");
        assertThat(next("*/15 * * * *", "2026-11-29T10:07:59Z[UTC]", UTC)).isEqualTo("2026-11-29T10:15Z[UTC]");
        assertThat(next("0 9-17/4 * * mon-fri", "2026-11-28T12:00Z[UTC]", UTC)) // a Saturday
                .isEqualTo("2026-11-30T09:00Z[UTC]");
        assertThat(next("0 0 1,15 feb *", "2026-03-01T00:00Z[UTC]", UTC)).isEqualTo("2027-02-01T00:00Z[UTC]");
        assertThat(next("0 0 29 2 *", "2026-03-01T00:00Z[UTC]", UTC)).isEqualTo("2028-02-29T00:00Z[UTC]");
        assertThat(next("0 12 * * 7", "2026-11-29T12:00Z[UTC]", UTC)).isEqualTo("2026-12-06T12:00Z[UTC]");
        // Both day fields restricted: either matches (the 13th, or any Friday).
        assertThat(next("0 0 13 * 5", "2026-11-01T00:00Z[UTC]", UTC)).isEqualTo("2026-11-06T00:00Z[UTC]");
        assertThat(next("0 0 13 * 5", "2026-11-12T00:00Z[UTC]", UTC)).isEqualTo("2026-11-13T00:00Z[UTC]");
    }

    @Test
    void namedSchedulesAndIntervals() {
        assertThat(next("@hourly", "2026-11-29T10:00Z[UTC]", UTC)).isEqualTo("2026-11-29T11:00Z[UTC]");
        assertThat(next("@daily", "2026-11-29T10:00Z[UTC]", UTC)).isEqualTo("2026-11-30T00:00Z[UTC]");
        assertThat(next("@weekly", "2026-11-29T10:00Z[UTC]", UTC)).isEqualTo("2026-12-06T00:00Z[UTC]");
        assertThat(next("@every 1h30m", "2026-11-29T10:00Z[UTC]", UTC)).isEqualTo("2026-11-29T11:30Z[UTC]");
        assertThat(Schedule.parse("@every 90s", UTC).isInterval()).isTrue();
    }

    @Test
    void localTimeAcrossDaylightSavingChanges() {
        // Spring forward in Berlin (2026-03-29): 02:30 does not exist; the run moves on by the gap.
        assertThat(next("30 2 * * *", "2026-03-28T12:00+01:00[Europe/Berlin]", BERLIN))
                .isEqualTo("2026-03-29T03:30+02:00[Europe/Berlin]");
        // Fall back (2026-10-25): 02:30 happens twice and runs once.
        Schedule s = Schedule.parse("30 2 * * *", BERLIN);
        Instant first = s.next(at("2026-10-24T12:00+02:00[Europe/Berlin]"));
        assertThat(ZonedDateTime.ofInstant(first, BERLIN).toString()).isEqualTo("2026-10-25T02:30+02:00[Europe/Berlin]");
        assertThat(ZonedDateTime.ofInstant(s.next(first), BERLIN).toString())
                .isEqualTo("2026-10-26T02:30+01:00[Europe/Berlin]");
        // A daily 00:00 job is 24 hours apart in local time, 23 or 25 in UTC.
        assertThat(next("@daily", "2026-03-29T00:00+01:00[Europe/Berlin]", BERLIN))
                .isEqualTo("2026-03-30T00:00+02:00[Europe/Berlin]");
    }

    @Test
    void badSchedulesNameTheProblem() {
        assertThatThrownBy(() -> Schedule.parse("0 25 * * *", UTC)).hasMessageContaining("'25' is not a valid hour");
        assertThatThrownBy(() -> Schedule.parse("* * *", UTC)).hasMessageContaining("has 3 fields");
        assertThatThrownBy(() -> Schedule.parse("@fortnightly", UTC)).hasMessageContaining("is not a schedule");
        assertThatThrownBy(() -> Schedule.parse("@every soon", UTC)).hasMessageContaining("@every takes a duration");
        assertThatThrownBy(() -> Schedule.parse("0 0 * foo *", UTC)).hasMessageContaining("'foo' is not a valid month");
        assertThatThrownBy(() -> Schedule.parse("0 0 5-1 * *", UTC)).hasMessageContaining("runs backwards");
        assertThatThrownBy(() -> Schedule.parse("0 0 31 2 *", UTC).next(Instant.EPOCH)).hasMessageContaining("never runs");
    }
}
