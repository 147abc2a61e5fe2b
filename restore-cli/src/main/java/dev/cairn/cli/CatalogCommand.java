package dev.cairn.cli;

import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.CatalogSync;
import dev.cairn.store.repo.Repository;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "catalog", description = "Manage the local catalog (a cache of the repository).",
        subcommands = {CatalogCommand.Rebuild.class})
final class CatalogCommand {
    @ParentCommand
    RootCommand root;

    @Command(name = "rebuild", description = "Discard the local catalog and rebuild it from the repository's index"
            + " files and, for packs no index covers, their headers.")
    static final class Rebuild implements Callable<Integer> {
        @ParentCommand
        CatalogCommand parent;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = parent.root.ctx;
            try (Repository r = parent.root.repo.open(ctx)) {
                Path dir = parent.root.repo.catalogDirectory(ctx, r);
                try (Catalog c = Catalog.open(dir, r.config().id())) {
                    c.reset();
                    CatalogSync.Result res = CatalogSync.sync(r, c);
                    ctx.out().printf("rebuilt catalog %s: %d index files, %d packs without an index, about %d blobs%n",
                            dir, res.indexFilesRead(), res.unindexedPacks(), c.estimatedBlobCount());
                }
            }
            return Cairn.EXIT_OK;
        }
    }
}
