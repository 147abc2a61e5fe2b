package dev.cairn.catalog;

import dev.cairn.catalog.model.Snapshot;
import java.util.List;

/**
 * Which snapshots a command looks at: a snapshot matches when its host is one of {@code hosts}, it covers every
 * one of {@code paths}, and it carries every one of {@code tags}. An empty list places no condition.
 */
public record SnapshotFilter(List<String> hosts, List<String> paths, List<String> tags) {
    /** Every snapshot. */
    public static final SnapshotFilter ALL = new SnapshotFilter(List.of(), List.of(), List.of());

    public SnapshotFilter {
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
        paths = paths == null ? List.of() : List.copyOf(paths);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    public boolean matches(Snapshot s) {
        return (hosts.isEmpty() || hosts.contains(s.host()))
                && s.paths().containsAll(paths)
                && s.tags().containsAll(tags);
    }

    /** Whether this filter places no condition. */
    public boolean isEmpty() {
        return hosts.isEmpty() && paths.isEmpty() && tags.isEmpty();
    }

    /** The conditions in words, such as {@code host db1, tag nightly}. */
    @Override
    public String toString() {
        List<String> parts = new java.util.ArrayList<>();
        hosts.forEach(h -> parts.add("host " + h));
        paths.forEach(p -> parts.add("path " + p));
        tags.forEach(t -> parts.add("tag " + t));
        return parts.isEmpty() ? "any snapshot" : String.join(", ", parts);
    }
}
