package dev.cairn.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupProgress;
import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.CatalogSync;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.s3.S3BlobStore;
import dev.cairn.store.s3.S3Settings;
import dev.cairn.store.s3.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the local catalog in place, reading snapshots and trees from S3 costs no object reads. */
class S3MetadataCacheTest {
    @TempDir
    Path tmp;

    @Test
    void listingASnapshotTwiceReadsNothingTheSecondTime() throws Exception {
        try (S3TestServer server = new S3TestServer(tmp.resolve("s3"))) {
            server.createBucket("meta");
            S3Settings settings = server.settings("meta", "");
            Path src = tmp.resolve("src");
            for (int d = 0; d < 20; d++) {
                Files.createDirectories(src.resolve("d" + d + "/e"));
                Files.writeString(src.resolve("d" + d + "/e/f"), "file " + d);
            }
            try (Repository repo = Repository.init(S3BlobStore.open(settings),
                    Repository.InitOptions.defaults().withKdfCost(1 << 10), "pw".toCharArray(), Clock.systemUTC());
                    Catalog c = Catalog.open(tmp.resolve("backup-catalog"), repo.config().id())) {
                Backup.run(repo, c, BackupOptions.of(List.of(src)), BackupProgress.NONE);
            }
            Map<S3BlobStore.Request, Long> first = listEverything(settings);
            Map<S3BlobStore.Request, Long> second = listEverything(settings);
            // First time: index file, snapshot and every tree are read (ranged GETs of the tree pack).
            assertThat(first.get(S3BlobStore.Request.GET)).isGreaterThan(20);
            // Second time: the config and the key file, nothing else; the listings tell nothing changed.
            assertThat(second.get(S3BlobStore.Request.GET)).isEqualTo(2);
            assertThat(second.get(S3BlobStore.Request.LIST)).isEqualTo(3); // keys, index files, snapshots
            assertThat(second.get(S3BlobStore.Request.HEAD)).isZero();
        }
    }

    Map<S3BlobStore.Request, Long> listEverything(S3Settings settings) throws Exception {
        S3BlobStore store = S3BlobStore.open(settings);
        try (Repository repo = Repository.open(store, "pw".toCharArray(), Clock.systemUTC());
                Catalog catalog = CatalogSync.openAndSync(tmp.resolve("reader-catalog"), repo).catalog();
                MetadataReader reader = new MetadataReader(repo, catalog)) {
            long[] entries = {0};
            new SnapshotTree(reader).walk(reader.resolve("latest").snapshot().tree(), "/", (p, n) -> {
                entries[0]++;
                return true;
            });
            assertThat(entries[0]).isEqualTo(61);
        }
        return store.requestCounts();
    }
}
