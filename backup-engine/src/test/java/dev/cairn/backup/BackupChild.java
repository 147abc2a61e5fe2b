package dev.cairn.backup;

import dev.cairn.catalog.Catalog;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.repo.Repository;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** A backup in its own process, for tests that kill it: {@code BackupChild REPO CATALOG SOURCE PASSPHRASE}. */
public final class BackupChild {
    private BackupChild() {
    }

    public static void main(String[] args) throws Exception {
        Repository repo = Repository.open(LocalDirectoryBlobStore.at(Path.of(args[0])), args[3].toCharArray(),
                Clock.systemUTC());
        try (Catalog catalog = Catalog.open(Path.of(args[1]), repo.config().id())) {
            Backup.run(repo, catalog, BackupOptions.of(List.of(Path.of(args[2]))).withThreads(1),
                    BackupProgress.NONE);
        }
    }
}
