package dev.cairn.cli;

import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.store.repo.Repository;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "snapshots", description = "List snapshots, oldest first.",
        footer = {"", "Examples:", "  cairn snapshots", "  cairn snapshots --host db1 --tag nightly --latest 3",
            "  cairn snapshots --path /srv/data --json"})
final class SnapshotsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--latest", paramLabel = "N", description = "Only the newest N snapshots of each host and paths.")
    Integer latest;

    @Mixin
    SnapshotFilterOptions filter;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        try (Repository r = root.repo.open(ctx);
                Catalog catalog = Catalog.open(root.repo.catalogDirectory(ctx, r), r.config().id());
                MetadataReader reader = new MetadataReader(r, catalog)) {
            List<MetadataReader.SnapshotRef> all = new ArrayList<>(reader.snapshots().stream()
                    .filter(s -> filter.filter().matches(s.snapshot())).toList());
            if (latest != null) {
                if (latest < 1) {
                    throw new IllegalArgumentException("--latest takes a positive number, not " + latest);
                }
                Map<List<Object>, Integer> seen = new java.util.HashMap<>();
                List<MetadataReader.SnapshotRef> kept = new ArrayList<>();
                for (int i = all.size() - 1; i >= 0; i--) {
                    var snap = all.get(i).snapshot();
                    if (seen.merge(List.of(snap.host(), snap.paths()), 1, Integer::sum) <= latest) {
                        kept.add(0, all.get(i));
                    }
                }
                all = kept;
            }
            if (json) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (MetadataReader.SnapshotRef s : all) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", s.id());
                    m.putAll(MetadataCodec.toMap(s.snapshot()));
                    out.add(m);
                }
                ctx.out().println(MetadataCodec.toJson(out));
            } else {
                ctx.out().printf("%-8s  %-30s  %-16s  %-20s  %10s  %s%n", "id", "time", "host", "tags", "size",
                        "paths");
                for (MetadataReader.SnapshotRef s : all) {
                    var sum = s.snapshot().summary();
                    ctx.out().printf("%-8s  %-30s  %-16s  %-20s  %10s  %s%n", s.shortId(), s.snapshot().time(),
                            s.snapshot().host(), String.join(",", s.snapshot().tags()),
                            sum == null ? "-" : Sizes.bytes(sum.totalBytes()), String.join(" ", s.snapshot().paths()));
                }
                ctx.out().println(all.size() + " snapshots");
            }
        }
        return Cairn.EXIT_OK;
    }
}
