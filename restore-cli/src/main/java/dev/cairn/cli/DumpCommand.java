package dev.cairn.cli;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.restore.Dumper;
import dev.cairn.restore.SnapshotTree;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "dump", description = {"Write one file of a snapshot to stdout; a directory as a tar stream."},
        footer = {"", "Examples:", "  cairn dump latest /data/etc/fstab", "  cairn dump latest /data/projects > projects.tar",
            "  cairn dump 4f2a91c0 / | tar -tvf -"})
final class DumpCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(index = "0", paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or 'latest'.")
    String snapshot;

    @Parameters(index = "1", paramLabel = "PATH", description = "File or directory inside the snapshot.")
    String path;

    @Mixin
    SnapshotFilterOptions filter;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        try (ReadSession s = ReadSession.open(root)) {
            MetadataReader.SnapshotRef snap = s.reader.resolve(snapshot, filter.filter());
            SnapshotTree.Located at = new SnapshotTree(s.reader).locate(snap.snapshot().tree(), path);
            OutputStream out = new BufferedOutputStream(ctx.out(), 1 << 20);
            Dumper dumper = new Dumper(s.reader);
            if (at.node() != null && at.node().type() == dev.cairn.catalog.model.NodeType.FILE) {
                dumper.file(at.node(), out);
            } else {
                dumper.tar(at, out);
            }
            out.flush();
            if (ctx.out().checkError()) {
                throw new java.io.IOException("cannot write to standard output");
            }
        }
        return Cairn.EXIT_OK;
    }
}
