package dev.cairn.restore;

import java.util.Locale;

/** What a restore does with an entry that already exists at a file's place in the target. */
public enum Overwrite {
    /** Rewrite it. */
    ALWAYS,
    /**
     * Keep a regular file whose size and modification time (to the nanosecond) match the snapshot; rewrite anything
     * else. The default: running an interrupted restore again rewrites only what it had not finished.
     */
    IF_CHANGED,
    /** Rewrite it only when the snapshot's modification time is newer than its own. */
    IF_NEWER,
    /** Keep every existing entry. */
    NEVER;

    /** Parses {@code always}, {@code if-changed}, {@code if-newer} or {@code never}. */
    public static Overwrite parse(String s) {
        for (Overwrite o : values()) {
            if (o.flag().equals(s.toLowerCase(Locale.ROOT))) {
                return o;
            }
        }
        throw new IllegalArgumentException("--overwrite takes always, if-changed, if-newer or never, not '" + s + "'");
    }

    /** The spelling on the command line. */
    public String flag() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
