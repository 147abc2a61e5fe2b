package dev.cairn.cli;

import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.store.repo.Repository;
import java.io.IOException;

/**
 * What a read command holds open: the repository, its catalog brought up to date (rebuilt from the repository on
 * a machine that has none), and a metadata reader over both.
 */
final class ReadSession implements AutoCloseable {
    final Repository repo;
    final Catalog catalog;
    final MetadataReader reader;

    private ReadSession(Repository repo, Catalog catalog) {
        this.repo = repo;
        this.catalog = catalog;
        this.reader = new MetadataReader(repo, catalog);
    }

    /** Opens the repository named by {@code root}'s options and syncs its catalog. */
    static ReadSession open(RootCommand root) throws IOException {
        Repository repo = root.repo.open(root.ctx);
        try {
            return new ReadSession(repo, root.repo.syncedCatalog(root.ctx, repo));
        } catch (IOException | RuntimeException e) {
            repo.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try (repo; catalog; reader) {
            // closed in reverse order
        }
    }
}
