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
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "snapshots", description = "List snapshots, oldest first.")
final class SnapshotsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        try (Repository r = root.repo.open(ctx);
                Catalog catalog = Catalog.open(root.repo.catalogDirectory(ctx, r), r.config().id());
                MetadataReader reader = new MetadataReader(r, catalog)) {
            List<MetadataReader.SnapshotRef> all = reader.snapshots();
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
                ctx.out().printf("%-8s  %-30s  %-16s  %-20s  %s%n", "id", "time", "host", "tags", "paths");
                for (MetadataReader.SnapshotRef s : all) {
                    ctx.out().printf("%-8s  %-30s  %-16s  %-20s  %s%n", s.shortId(), s.snapshot().time(),
                            s.snapshot().host(), String.join(",", s.snapshot().tags()),
                            String.join(" ", s.snapshot().paths()));
                }
                ctx.out().println(all.size() + " snapshots");
            }
        }
        return Cairn.EXIT_OK;
    }
}
