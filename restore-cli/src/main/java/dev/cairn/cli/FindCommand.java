package dev.cairn.cli;

import dev.cairn.backup.Excludes;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.restore.SnapshotTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "find", description = {"Find entries by name or path in snapshots.",
    "A PATTERN without '/' is a glob over names ('*.pdf'); with '/' a glob over whole paths ('/data/**/report*')."},
        footer = {"", "Examples:", "  cairn find 'budget*.xlsx'", "  cairn find '*.conf' --snapshot latest --long",
            "  cairn find '/data/home/*/.ssh' --host nas1 --json"})
final class FindCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "PATTERN", description = "Glob over names, or over paths when it holds '/'.")
    String pattern;

    @Option(names = {"-s", "--snapshot"}, paramLabel = "ID",
            description = "Search only this snapshot (repeatable; default: every snapshot that matches the filters).")
    List<String> snapshots = new ArrayList<>();

    @Option(names = {"-l", "--long"}, description = "Mode, owner, group, size and time of each match.")
    boolean longFormat;

    @Option(names = "--json", description = "One JSON object per match and line.")
    boolean json;

    @Mixin
    SnapshotFilterOptions filter;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        Excludes.Matcher matcher = Excludes.matcher(List.of(pattern));
        long found = 0;
        try (ReadSession s = ReadSession.open(root)) {
            List<MetadataReader.SnapshotRef> refs = new ArrayList<>();
            if (snapshots.isEmpty()) {
                refs.addAll(s.reader.snapshots().stream().filter(r -> filter.filter().matches(r.snapshot())).toList());
            } else {
                for (String id : snapshots) {
                    refs.add(s.reader.resolve(id, filter.filter()));
                }
            }
            SnapshotTree tree = new SnapshotTree(s.reader);
            long[] count = {0};
            for (MetadataReader.SnapshotRef ref : refs) {
                tree.walk(ref.snapshot().tree(), "/", (p, n) -> {
                    if (matcher.matches(Path.of(p))) {
                        count[0]++;
                        if (json) {
                            Map<String, Object> m = new java.util.LinkedHashMap<>();
                            m.put("snapshot", ref.id());
                            m.putAll(Listing.json(p, n));
                            ctx.out().println(MetadataCodec.toJsonLine(m));
                        } else {
                            ctx.out().println(ref.shortId() + "  " + (longFormat ? Listing.longLine(p, n) : p));
                        }
                    }
                    return true;
                });
            }
            found = count[0];
            if (!json) {
                ctx.err().println(found + " matches in " + refs.size() + " snapshots");
            }
        }
        return found > 0 ? Cairn.EXIT_OK : Cairn.EXIT_FAILED;
    }
}
