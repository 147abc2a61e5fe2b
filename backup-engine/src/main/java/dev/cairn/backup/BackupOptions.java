package dev.cairn.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What to back up and how the snapshot is labelled. {@code time} and {@code host} default to now and this
 * machine's name; {@code parent} (an id or prefix) overrides the automatic choice of the latest snapshot with
 * the same host and paths; {@code force} rereads every file.
 */
public record BackupOptions(List<Path> sources, List<String> tags, String host, Instant time, String parent,
        boolean force) {
    public BackupOptions {
        if (sources == null || sources.isEmpty()) {
            throw new IllegalArgumentException("nothing to back up: give at least one path");
        }
        sources = sources.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** Defaults for {@code sources}. */
    public static BackupOptions of(List<Path> sources) {
        return new BackupOptions(sources, List.of(), null, null, null, false);
    }

    public BackupOptions withTime(Instant t) {
        return new BackupOptions(sources, tags, host, t, parent, force);
    }

    public BackupOptions withTags(List<String> t) {
        return new BackupOptions(sources, t, host, time, parent, force);
    }

    public BackupOptions withHost(String h) {
        return new BackupOptions(sources, tags, h, time, parent, force);
    }

    public BackupOptions withParent(String p) {
        return new BackupOptions(sources, tags, host, time, p, force);
    }

    public BackupOptions withForce(boolean f) {
        return new BackupOptions(sources, tags, host, time, parent, f);
    }
}
