package dev.cairn.cli;

import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.restore.RestoreResult;
import dev.cairn.restore.Restorer;
import dev.cairn.store.repo.Repository;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore", description = "Restore a snapshot into a directory.",
        footer = {"", "Example:", "  cairn restore --repo /mnt/backup/repo latest --target /srv/restore"})
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "SNAPSHOT", description = "Snapshot id, unique prefix, or 'latest'.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Directory to restore into.")
    Path target;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        try (Repository r = root.repo.open(ctx);
                Catalog catalog = root.repo.syncedCatalog(ctx, r);
                MetadataReader reader = new MetadataReader(r, catalog)) {
            MetadataReader.SnapshotRef snap = reader.resolve(snapshot);
            RestoreResult result = new Restorer(reader).restore(snap.snapshot().tree(), target);
            for (String w : result.warnings()) {
                ctx.err().println("cairn: warning: " + w);
            }
            ctx.out().printf("restored snapshot %s: %d files, %d directories, %s into %s%n", snap.shortId(),
                    result.files(), result.dirs(), Sizes.bytes(result.bytes()), target);
            return result.warnings().isEmpty() ? Cairn.EXIT_OK : Cairn.EXIT_PARTIAL;
        }
    }
}
