package dev.cairn.cli;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.restore.TreeDiff;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "diff", description = {"Show what changed between two snapshots.",
    "+ added, - removed, M content modified, U metadata only (mode, owner, times, xattrs), T type changed."},
        footer = {"", "Examples:", "  cairn diff 4f2a91c0 latest", "  cairn diff 4f2a 9c1e --json"})
final class DiffCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "SNAPSHOT1", description = "The older snapshot.")
    String first;

    @Parameters(index = "1", paramLabel = "SNAPSHOT2", description = "The newer snapshot.")
    String second;

    @Option(names = "--json", description = "One JSON object per change and line, then a summary object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        try (ReadSession s = ReadSession.open(root)) {
            MetadataReader.SnapshotRef a = s.reader.resolve(first);
            MetadataReader.SnapshotRef b = s.reader.resolve(second);
            Map<TreeDiff.Kind, Long> counts = new EnumMap<>(TreeDiff.Kind.class);
            long[] delta = {0};
            new TreeDiff(s.reader).compare(a.snapshot().tree(), b.snapshot().tree(), "/", c -> {
                counts.merge(c.kind(), 1L, Long::sum);
                delta[0] += (c.after() == null ? 0 : c.after().size()) - (c.before() == null ? 0 : c.before().size());
                String path = c.path() + (isDir(c) ? "/" : "");
                if (json) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("change", c.kind().name().toLowerCase(Locale.ROOT));
                    m.put("path", c.path());
                    if (c.before() != null) {
                        m.put("before", Listing.json(c.path(), c.before()));
                    }
                    if (c.after() != null) {
                        m.put("after", Listing.json(c.path(), c.after()));
                    }
                    ctx.out().println(MetadataCodec.toJsonLine(m));
                } else {
                    ctx.out().println(c.kind().mark() + "  " + path);
                }
            });
            Map<String, Object> summary = new LinkedHashMap<>();
            for (TreeDiff.Kind k : TreeDiff.Kind.values()) {
                summary.put(k.name().toLowerCase(Locale.ROOT), counts.getOrDefault(k, 0L));
            }
            summary.put("size_delta", delta[0]);
            if (json) {
                ctx.out().println(MetadataCodec.toJsonLine(Map.of("summary", summary)));
            } else {
                ctx.out().printf("%s -> %s: %d added, %d removed, %d modified, %d metadata, %d type changed,"
                        + " size %+d bytes%n", a.shortId(), b.shortId(), summary.get("added"), summary.get("removed"),
                        summary.get("modified"), summary.get("metadata"), summary.get("type"), delta[0]);
            }
        }
        return Cairn.EXIT_OK;
    }

    private static boolean isDir(TreeDiff.Change c) {
        var n = c.after() != null ? c.after() : c.before();
        return n.type() == dev.cairn.catalog.model.NodeType.DIRECTORY;
    }
}
