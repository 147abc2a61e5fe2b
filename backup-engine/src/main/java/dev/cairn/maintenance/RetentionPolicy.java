package dev.cairn.maintenance;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which snapshots to keep, with the rules operators know from other backup tools: the {@code last} newest; for
 * each calendar hour, day, ISO week, month and year (in {@code zone}) the newest snapshot of the {@code hourly},
 * {@code daily}, ... newest such periods that hold one; every snapshot within {@code within} of the newest one;
 * every snapshot carrying one of {@code tags}. A snapshot is kept when any rule keeps it, and each decision lists
 * the rules that kept it. A count of 0 switches its rule off.
 *
 * <p>{@link #apply} is a pure function of the snapshots' times and tags: no clock, no repository.
 */
public record RetentionPolicy(int last, int hourly, int daily, int weekly, int monthly, int yearly, Within within,
        Set<String> tags, ZoneId zone) {

    /** A calendar span such as {@code 1y2m3d4h}: years, months and days as a {@link Period}, hours as a duration. */
    public record Within(Period period, Duration hours, String text) {
        private static final Pattern PART = Pattern.compile("(\\d+)([ymdh])");

        /** Parses {@code 7d}, {@code 1y6m}, {@code 36h}, ... */
        public static Within parse(String s) {
            Matcher m = PART.matcher(s);
            int pos = 0;
            Period p = Period.ZERO;
            Duration h = Duration.ZERO;
            while (m.find() && m.start() == pos) {
                int n = Integer.parseInt(m.group(1));
                switch (m.group(2)) {
                    case "y" -> p = p.plusYears(n);
                    case "m" -> p = p.plusMonths(n);
                    case "d" -> p = p.plusDays(n);
                    default -> h = h.plusHours(n);
                }
                pos = m.end();
            }
            if (pos == 0 || pos != s.length()) {
                throw new IllegalArgumentException("'" + s + "' is not a duration like 7d, 1y6m or 36h");
            }
            return new Within(p, h, s);
        }

        /** The earliest time within this span before {@code newest}, counted in local time. */
        Instant since(Instant newest, ZoneId zone) {
            return ZonedDateTime.ofInstant(newest, zone).minus(period).minus(hours).toInstant();
        }
    }

    public RetentionPolicy {
        tags = tags == null ? Set.of() : Set.copyOf(tags);
        Objects.requireNonNull(zone, "zone");
        for (int n : new int[] {last, hourly, daily, weekly, monthly, yearly}) {
            if (n < 0) {
                throw new IllegalArgumentException("keep counts cannot be negative: " + n);
            }
        }
    }

    /** Whether any rule is set; a policy without one would remove everything and is refused by callers. */
    public boolean isEmpty() {
        return last == 0 && hourly == 0 && daily == 0 && weekly == 0 && monthly == 0 && yearly == 0 && within == null
                && tags.isEmpty();
    }

    /** The decision for one snapshot: keep or remove, and the rules that kept it. */
    public record Decision<T>(T snapshot, Instant time, boolean keep, List<String> reasons) {
    }

    private enum Rule {
        HOURLY("hourly"), DAILY("daily"), WEEKLY("weekly"), MONTHLY("monthly"), YEARLY("yearly");

        final String word;

        Rule(String word) {
            this.word = word;
        }

        Object bucket(LocalDateTime t) {
            return switch (this) {
                case HOURLY -> List.of(t.getYear(), t.getDayOfYear(), t.getHour());
                case DAILY -> List.of(t.getYear(), t.getDayOfYear());
                case WEEKLY -> List.of(t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
                case MONTHLY -> List.of(t.getYear(), t.getMonthValue());
                case YEARLY -> List.of(t.getYear());
            };
        }
    }

    /**
     * Decides for every snapshot of one group. Returns the decisions newest first (ties broken by the order
     * given, later first).
     */
    public <T> List<Decision<T>> apply(List<T> snapshots, Function<T, Instant> time, Function<T, Collection<String>> tagsOf) {
        List<T> sorted = new ArrayList<>(snapshots);
        java.util.Collections.reverse(sorted);
        sorted.sort(Comparator.comparing(time).reversed());
        int[] left = {hourly, daily, weekly, monthly, yearly};
        Object[] lastBucket = new Object[5];
        int lastLeft = last;
        Instant since = sorted.isEmpty() || within == null ? null : within.since(time.apply(sorted.get(0)), zone);
        List<Decision<T>> out = new ArrayList<>(sorted.size());
        for (T s : sorted) {
            Instant t = time.apply(s);
            List<String> reasons = new ArrayList<>();
            if (lastLeft > 0) {
                lastLeft--;
                reasons.add("last");
            }
            LocalDateTime local = LocalDateTime.ofInstant(t, zone);
            for (Rule r : Rule.values()) {
                int i = r.ordinal();
                Object b = r.bucket(local);
                if (left[i] > 0 && !b.equals(lastBucket[i])) {
                    left[i]--;
                    lastBucket[i] = b;
                    reasons.add(r.word);
                }
            }
            if (since != null && !t.isBefore(since)) {
                reasons.add("within " + within.text());
            }
            for (String tag : tagsOf.apply(s)) {
                if (tags.contains(tag)) {
                    reasons.add("tag " + tag);
                }
            }
            out.add(new Decision<>(s, t, !reasons.isEmpty(), List.copyOf(reasons)));
        }
        return out;
    }
}
