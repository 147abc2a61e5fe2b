package dev.cairn.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Retention as a pure function: properties over generated histories, and the calendar's corner cases. */
class RetentionPolicyTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    record Snap(String id, Instant time, List<String> tags) {
    }

    static RetentionPolicy policy(int last, int hourly, int daily, int weekly, int monthly, int yearly) {
        return new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly, null, Set.of(), BERLIN);
    }

    static List<RetentionPolicy.Decision<Snap>> apply(RetentionPolicy p, List<Snap> snaps) {
        return p.apply(snaps, Snap::time, Snap::tags);
    }

    static Set<String> kept(List<RetentionPolicy.Decision<Snap>> d) {
        return d.stream().filter(RetentionPolicy.Decision::keep).map(x -> x.snapshot().id()).collect(Collectors.toSet());
    }

    /** Histories of up to 300 snapshots over about three years, across DST changes and year ends. */
    @Provide
    Arbitrary<List<Snap>> histories() {
        long start = Instant.parse("2023-01-01T00:00:00Z").getEpochSecond();
        return Arbitraries.longs().between(0, 3L * 365 * 86400).list().ofMaxSize(300).map(offsets -> {
            List<Snap> out = new ArrayList<>();
            for (int i = 0; i < offsets.size(); i++) {
                out.add(new Snap("s" + i, Instant.ofEpochSecond(start + offsets.get(i)),
                        i % 7 == 0 ? List.of("monthly-report") : List.of()));
            }
            return out;
        });
    }

    @Property(tries = 200)
    void keepLastKeepsExactlyTheNewest(@ForAll("histories") List<Snap> snaps, @ForAll @IntRange(min = 1, max = 50) int n) {
        List<RetentionPolicy.Decision<Snap>> d = apply(policy(n, 0, 0, 0, 0, 0), snaps);
        assertThat(kept(d)).hasSize(Math.min(n, snaps.size()));
        for (int i = 0; i < d.size(); i++) {
            assertThat(d.get(i).keep()).isEqualTo(i < n);
            if (i > 0) {
                assertThat(d.get(i).time()).isBeforeOrEqualTo(d.get(i - 1).time());
            }
        }
    }

    @Property(tries = 200)
    void dailyKeepsTheNewestOfEachOfTheNewestDays(@ForAll("histories") List<Snap> snaps,
            @ForAll @IntRange(min = 1, max = 40) int n) {
        List<RetentionPolicy.Decision<Snap>> d = apply(policy(0, 0, n, 0, 0, 0), snaps);
        List<LocalDate> days = d.stream().map(x -> ZonedDateTime.ofInstant(x.time(), BERLIN).toLocalDate())
                .distinct().toList();
        Set<LocalDate> keptDays = new HashSet<>();
        for (int i = 0; i < d.size(); i++) {
            LocalDate day = ZonedDateTime.ofInstant(d.get(i).time(), BERLIN).toLocalDate();
            boolean newestOfDay = i == 0
                    || !ZonedDateTime.ofInstant(d.get(i - 1).time(), BERLIN).toLocalDate().equals(day);
            boolean expected = newestOfDay && days.indexOf(day) < n;
            assertThat(d.get(i).keep()).as("snapshot %s on %s", d.get(i).snapshot(), day).isEqualTo(expected);
            if (d.get(i).keep()) {
                assertThat(keptDays.add(day)).isTrue();
                assertThat(d.get(i).reasons()).containsExactly("daily");
            }
        }
        assertThat(keptDays).hasSize(Math.min(n, days.size()));
    }

    @Property(tries = 200)
    void moreGenerousPoliciesKeepASuperset(@ForAll("histories") List<Snap> snaps,
            @ForAll @IntRange(max = 5) int last, @ForAll @IntRange(max = 10) int daily,
            @ForAll @IntRange(max = 6) int weekly, @ForAll @IntRange(max = 12) int monthly,
            @ForAll @IntRange(max = 3) int more) {
        Set<String> small = kept(apply(policy(last, 0, daily, weekly, monthly, 1), snaps));
        Set<String> large = kept(apply(policy(last + more, more, daily + more, weekly, monthly + more, 1), snaps));
        assertThat(large).containsAll(small);
    }

    @Property(tries = 200)
    void everyDecisionIsExplainedAndTheNewestIsKept(@ForAll("histories") List<Snap> snaps,
            @ForAll @IntRange(min = 1, max = 9) int weekly) {
        RetentionPolicy p = new RetentionPolicy(0, 0, 0, weekly, 0, 2, RetentionPolicy.Within.parse("3d"),
                Set.of("monthly-report"), BERLIN);
        List<RetentionPolicy.Decision<Snap>> d = apply(p, snaps);
        assertThat(d).hasSize(snaps.size());
        for (RetentionPolicy.Decision<Snap> x : d) {
            assertThat(x.keep()).isEqualTo(!x.reasons().isEmpty());
            if (x.snapshot().tags().contains("monthly-report")) {
                assertThat(x.reasons()).contains("tag monthly-report");
            }
        }
        if (!d.isEmpty()) {
            assertThat(d.get(0).keep()).isTrue();
        }
    }

    static Snap at(String id, String zoned) {
        return new Snap(id, ZonedDateTime.parse(zoned).toInstant(), List.of());
    }

    @Test
    void theHourRepeatedWhenClocksGoBackIsOneHour() {
        // 2024-10-27 in Berlin: 02:30 happens twice, first in CEST (+02:00) then in CET (+01:00).
        List<Snap> snaps = List.of(at("first", "2024-10-27T02:30+02:00[Europe/Berlin]"),
                at("second", "2024-10-27T02:30+01:00[Europe/Berlin]"),
                at("before", "2024-10-27T01:30+02:00[Europe/Berlin]"));
        assertThat(kept(apply(policy(0, 5, 0, 0, 0, 0), snaps))).containsExactlyInAnyOrder("second", "before");
        // The skipped hour in spring: 01:59 CET and 03:01 CEST are two minutes apart but two hours.
        List<Snap> spring = List.of(at("a", "2024-03-31T01:59+01:00[Europe/Berlin]"),
                at("b", "2024-03-31T03:01+02:00[Europe/Berlin]"));
        assertThat(kept(apply(policy(0, 5, 0, 0, 0, 0), spring))).containsExactlyInAnyOrder("a", "b");
        assertThat(kept(apply(policy(0, 0, 5, 0, 0, 0), spring))).containsExactly("b");
    }

    @Test
    void isoWeeksCrossTheYearEndAndYearsDoNot() {
        // 2020-12-31 (Thursday) and 2021-01-03 (Sunday) are both in ISO week 53 of 2020.
        List<Snap> snaps = List.of(at("thu", "2020-12-31T12:00+01:00[Europe/Berlin]"),
                at("sun", "2021-01-03T12:00+01:00[Europe/Berlin]"),
                at("mon", "2021-01-04T12:00+01:00[Europe/Berlin]"));
        assertThat(kept(apply(policy(0, 0, 0, 5, 0, 0), snaps))).containsExactlyInAnyOrder("sun", "mon");
        assertThat(kept(apply(policy(0, 0, 0, 0, 0, 5), snaps))).containsExactlyInAnyOrder("thu", "mon");
        // A day is a local day: 23:30 UTC on Dec 31 is already New Year in Berlin.
        List<Snap> ny = List.of(new Snap("utc-late", Instant.parse("2021-12-31T23:30:00Z"), List.of()),
                at("noon", "2022-01-01T12:00+01:00[Europe/Berlin]"));
        assertThat(kept(apply(policy(0, 0, 0, 0, 0, 5), ny))).containsExactly("noon");
    }

    @Test
    void withinCountsBackFromTheNewestSnapshot() {
        List<Snap> snaps = List.of(at("new", "2024-06-10T12:00+02:00[Europe/Berlin]"),
                at("edge", "2024-06-08T12:00+02:00[Europe/Berlin]"),
                at("old", "2024-06-08T11:59+02:00[Europe/Berlin]"));
        RetentionPolicy p = new RetentionPolicy(0, 0, 0, 0, 0, 0, RetentionPolicy.Within.parse("2d"), Set.of(),
                BERLIN);
        assertThat(kept(apply(p, snaps))).containsExactlyInAnyOrder("new", "edge");
        assertThat(RetentionPolicy.Within.parse("1y2m3d4h").period()).isEqualTo(java.time.Period.of(1, 2, 3));
        assertThatThrownBy(() -> RetentionPolicy.Within.parse("3 days")).hasMessageContaining("not a duration");
        assertThat(policy(0, 0, 0, 0, 0, 0).isEmpty()).isTrue();
    }
}
