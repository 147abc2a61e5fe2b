package dev.cairn.schedule;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's schedule: a five-field cron expression ({@code minute hour day-of-month month day-of-week}, with
 * {@code *}, lists, ranges, steps and month and day names; day-of-week 0 and 7 are Sunday; when both day fields are
 * restricted, a day matching either runs, as in cron), one of {@code @hourly}, {@code @daily} ({@code @midnight}),
 * {@code @weekly}, {@code @monthly}, {@code @yearly}, or {@code @every DURATION} ({@code 90s}, {@code 15m},
 * {@code 6h}, {@code 1d}, or combined: {@code 1h30m}). Cron times are local times in the schedule's zone: a time
 * skipped by a DST change runs shifted forward by the gap (02:30 becomes 03:30), a time repeated runs once (the
 * first time).
 */
public final class Schedule {
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");
    private static final Pattern EVERY_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private final String text;
    private final ZoneId zone;
    private final Duration every;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean domRestricted;
    private final boolean dowRestricted;

    private Schedule(String text, ZoneId zone, Duration every, BitSet[] fields, boolean dom, boolean dow) {
        this.text = text;
        this.zone = zone;
        this.every = every;
        this.minutes = fields == null ? null : fields[0];
        this.hours = fields == null ? null : fields[1];
        this.daysOfMonth = fields == null ? null : fields[2];
        this.months = fields == null ? null : fields[3];
        this.daysOfWeek = fields == null ? null : fields[4];
        this.domRestricted = dom;
        this.dowRestricted = dow;
    }

    /**
     * Parses a schedule.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static Schedule parse(String text, ZoneId zone) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String cron = switch (t) {
            case "@hourly" -> "0 * * * *";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@weekly" -> "0 0 * * 0";
            case "@monthly" -> "0 0 1 * *";
            case "@yearly", "@annually" -> "0 0 1 1 *";
            default -> t;
        };
        if (cron.startsWith("@every")) {
            return new Schedule(text, zone, parseEvery(cron.substring(6).trim(), text), null, false, false);
        }
        if (cron.startsWith("@")) {
            throw new IllegalArgumentException("'" + text + "' is not a schedule (@hourly, @daily, @weekly, @monthly,"
                    + " @yearly, @every DURATION or five cron fields)");
        }
        String[] f = cron.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("'" + text + "' has " + f.length + " fields; cron takes five: minute"
                    + " hour day-of-month month day-of-week");
        }
        BitSet[] fields = {
            field(f[0], 0, 59, null, "minute", text),
            field(f[1], 0, 23, null, "hour", text),
            field(f[2], 1, 31, null, "day of month", text),
            field(f[3], 1, 12, MONTHS, "month", text),
            field(f[4], 0, 7, DAYS, "day of week", text),
        };
        if (fields[4].get(7)) {
            fields[4].set(0);
            fields[4].clear(7);
        }
        return new Schedule(text, zone, null, fields, !f[2].equals("*"), !f[4].equals("*"));
    }

    private static Duration parseEvery(String s, String text) {
        Duration d = parseDuration(s);
        if (d == null || d.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("'" + text + "': @every takes a duration of at least 1s, such as 30m,"
                    + " 6h or 1h30m");
        }
        return d;
    }

    /**
     * A duration as schedules and the daemon's config write them: numbers with {@code ms}, {@code s}, {@code m},
     * {@code h} or {@code d}, run together ({@code 90s}, {@code 1h30m}); null when {@code s} is not one.
     */
    public static Duration parseDuration(String s) {
        Matcher m = EVERY_PART.matcher(s);
        int pos = 0;
        Duration d = Duration.ZERO;
        while (m.find() && m.start() == pos) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            pos = m.end();
        }
        return pos == 0 || pos != s.length() ? null : d;
    }

    private static BitSet field(String s, int min, int max, List<String> names, String what, String text) {
        BitSet out = new BitSet(max + 1);
        for (String part : s.split(",")) {
            int step = 1;
            String range = part;
            int slash = part.indexOf('/');
            if (slash >= 0) {
                step = number(part.substring(slash + 1), 1, max, null, what, text);
                range = part.substring(0, slash);
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = max == 7 ? 6 : max;
            } else if (range.contains("-")) {
                lo = number(range.substring(0, range.indexOf('-')), min, max, names, what, text);
                hi = number(range.substring(range.indexOf('-') + 1), min, max, names, what, text);
                if (hi < lo) {
                    throw new IllegalArgumentException("'" + text + "': " + what + " range " + range + " runs backwards");
                }
            } else {
                lo = number(range, min, max, names, what, text);
                hi = slash >= 0 ? (max == 7 ? 6 : max) : lo;
            }
            for (int v = lo; v <= hi; v += step) {
                out.set(v);
            }
        }
        return out;
    }

    private static int number(String s, int min, int max, List<String> names, String what, String text) {
        if (names != null) {
            int i = names.indexOf(s);
            if (i >= 0) {
                return names == MONTHS ? i + 1 : i;
            }
        }
        try {
            int v = Integer.parseInt(s);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("'" + text + "': '" + s + "' is not a valid " + what + " (" + min + "-" + max
                + (names != null ? " or a name" : "") + ")");
    }

    /** The first run strictly after {@code after}. For {@code @every}, {@code after} plus the interval. */
    public Instant next(Instant after) {
        if (every != null) {
            return after.plus(every);
        }
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        LocalDateTime limit = t.plusYears(5);
        while (t.isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.withDayOfMonth(1).toLocalDate().plusMonths(1).atStartOfDay();
                continue;
            }
            if (!dayMatches(t)) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
                continue;
            }
            if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (!minutes.get(t.getMinute())) {
                t = t.plusMinutes(1);
                continue;
            }
            Instant at = ZonedDateTime.ofLocal(t, zone, null).toInstant();
            if (at.isAfter(after)) {
                return at;
            }
            t = t.plusMinutes(1);
        }
        throw new IllegalStateException("'" + text + "' never runs (no such date in five years)");
    }

    private boolean dayMatches(LocalDateTime t) {
        boolean dom = daysOfMonth.get(t.getDayOfMonth());
        boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
        if (domRestricted && dowRestricted) {
            return dom || dow;
        }
        return dom && dow;
    }

    /** Whether this is an {@code @every} interval (counted from the previous run) rather than a calendar time. */
    public boolean isInterval() {
        return every != null;
    }

    @Override
    public String toString() {
        return text;
    }
}
