package dev.cairn.cli;

import dev.cairn.catalog.SnapshotFilter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --host}, {@code --path} and {@code --tag}: which snapshots a command considers (and which is latest). */
final class SnapshotFilterOptions {
    @Option(names = "--host", paramLabel = "HOST", description = "Only snapshots taken on HOST (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--path", paramLabel = "PATH", description = "Only snapshots of PATH (repeatable: all of them).")
    List<String> paths = new ArrayList<>();

    @Option(names = "--tag", paramLabel = "TAG", description = "Only snapshots tagged TAG (repeatable: all of them).")
    List<String> tags = new ArrayList<>();

    SnapshotFilter filter() {
        return new SnapshotFilter(hosts, paths, tags);
    }
}
