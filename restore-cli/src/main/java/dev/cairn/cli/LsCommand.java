package dev.cairn.cli;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.restore.SnapshotTree;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", description = "List the entries of a directory in a snapshot.",
        footer = {"", "Paths inside a snapshot start with the name of each backed-up source: a backup of /srv/data",
            "holds /data/... .", "", "Examples:", "  cairn ls latest", "  cairn ls latest /data/projects --long",
            "  cairn ls 4f2a91c0 /data --recursive --json   (one JSON object per line)"})
final class LsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or 'latest'.")
    String snapshot;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PATH", description = "Directory or file (default: /).")
    String path = "/";

    @Option(names = {"-l", "--long"}, description = "Mode, owner, group, size and time of each entry.")
    boolean longFormat;

    @Option(names = {"-R", "--recursive"}, description = "Everything below PATH.")
    boolean recursive;

    @Option(names = "--json", description = "One JSON object per entry and line.")
    boolean json;

    @Mixin
    SnapshotFilterOptions filter;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        try (ReadSession s = ReadSession.open(root)) {
            MetadataReader.SnapshotRef snap = s.reader.resolve(snapshot, filter.filter());
            SnapshotTree tree = new SnapshotTree(s.reader);
            SnapshotTree.Located at = tree.locate(snap.snapshot().tree(), path);
            if (!at.isDirectory()) {
                print(ctx, at.path(), at.node());
                return Cairn.EXIT_OK;
            }
            tree.walk(at.tree(), at.path(), (p, n) -> {
                print(ctx, n.type() == NodeType.DIRECTORY && !json && !longFormat ? p + "/" : p, n);
                return recursive;
            });
        }
        return Cairn.EXIT_OK;
    }

    private void print(CliContext ctx, String p, Node n) {
        if (json) {
            ctx.out().println(MetadataCodec.toJsonLine(Listing.json(p, n)));
        } else {
            ctx.out().println(longFormat ? Listing.longLine(p, n) : p);
        }
    }
}
