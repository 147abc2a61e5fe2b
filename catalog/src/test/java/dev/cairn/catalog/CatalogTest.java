package dev.cairn.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.BlobId;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.PackAssembler;
import dev.cairn.store.pack.PackWriter;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogTest {
    @TempDir
    Path tmp;

    Repository repo() throws IOException {
        return Repository.init(LocalDirectoryBlobStore.at(tmp.resolve("repo")),
                Repository.InitOptions.defaults().withKdfCost(1 << 10).withPackSize(64 * 1024), "pw".toCharArray(),
                Clock.systemUTC());
    }

    static List<BlobId> storeBlobs(Repository repo, int n, boolean withIndex) throws IOException {
        List<BlobId> ids = new ArrayList<>();
        ChunkIdHasher h = repo.newIdHasher();
        Random r = new Random(n);
        try (BlobCodec codec = repo.newCodec()) {
            PackAssembler a = new PackAssembler(repo.store(), codec, 64 * 1024);
            PackWriter w = new PackWriter(codec, 1024);
            for (int i = 0; i < n; i++) {
                byte[] b = new byte[5000];
                r.nextBytes(b);
                BlobId id = h.id(b, 0, b.length);
                ids.add(id);
                if (withIndex) {
                    a.add(BlobType.DATA, id, b, 0, b.length);
                } else {
                    w.add(BlobType.DATA, id, b, 0, b.length);
                }
            }
            if (withIndex) {
                a.flush();
            } else {
                PackWriter.FinishedPack p = w.finish();
                repo.store().put(ObjectName.of(ObjectType.DATA, p.id().hex()), p.bytes());
            }
        }
        return ids;
    }

    @Test
    void syncReadsIndexFilesThenHeadersOfUnindexedPacks() throws IOException {
        Repository repo = repo();
        List<BlobId> indexed = storeBlobs(repo, 40, true);
        List<BlobId> orphans = storeBlobs(repo, 7, false);
        try (Catalog c = Catalog.open(tmp.resolve("readers"), repo.config().id())) {
            CatalogSync.Result r = CatalogSync.syncIndexes(repo, c);
            assertThat(r.indexFilesRead()).isEqualTo(1);
            assertThat(r.unindexedPacks()).as("packs not listed").isZero();
            assertThat(c.contains(orphans.get(0))).isFalse();
        }
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            assertThat(c.isFresh()).isTrue();
            assertThat(c.hasIndexFiles()).isFalse();
            CatalogSync.Result r = CatalogSync.sync(repo, c);
            assertThat(c.hasIndexFiles()).isTrue();
            assertThat(r.indexFilesRead()).isEqualTo(1);
            assertThat(r.unindexedPacks()).isEqualTo(1);
            assertThat(r.unindexedEntries()).extracting(e -> e.blob().id()).containsExactlyInAnyOrderElementsOf(orphans);
            for (BlobId id : indexed) {
                IndexEntry e = c.find(id).orElseThrow();
                assertThat(e.blob().rawLength()).isEqualTo(5000);
            }
            for (BlobId id : orphans) {
                assertThat(c.contains(id)).isTrue();
            }
            byte[] unknown = new byte[32];
            assertThat(c.contains(BlobId.of(unknown))).isFalse();
            CatalogSync.Result again = CatalogSync.sync(repo, c);
            assertThat(again.indexFilesRead()).isZero();
        }
        // Reopened: still there, not fresh.
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            assertThat(c.isFresh()).isFalse();
            assertThat(c.contains(indexed.get(3))).isTrue();
        }
    }

    @Test
    void aCatalogOfAnotherRepositoryIsDiscarded() throws IOException {
        Repository repo = repo();
        List<BlobId> ids = storeBlobs(repo, 5, true);
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            CatalogSync.sync(repo, c);
            assertThat(c.contains(ids.get(0))).isTrue();
        }
        try (Catalog c = Catalog.open(tmp.resolve("cat"), "ab".repeat(32))) {
            assertThat(c.isFresh()).isTrue();
            assertThat(c.contains(ids.get(0))).isFalse();
        }
    }

    @Test
    void removedIndexFilesTriggerARebuild() throws IOException {
        Repository repo = repo();
        List<BlobId> ids = storeBlobs(repo, 5, true);
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            CatalogSync.sync(repo, c);
            for (var i : repo.store().list(ObjectType.INDEX)) {
                repo.store().delete(i.name());
            }
            CatalogSync.Result r = CatalogSync.sync(repo, c);
            assertThat(r.rebuilt()).isTrue();
            // The pack is still there but unindexed: it is found again through its header.
            assertThat(r.unindexedPacks()).isEqualTo(1);
            assertThat(c.contains(ids.get(0))).isTrue();
        }
    }

    @Test
    void theMarkOfAnUnfinishedBackupOutlivesTheProcessUntilCleared() throws IOException {
        Repository repo = repo();
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            assertThat(c.backupUnfinished()).isFalse();
            c.backupUnfinished(true);
        }
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            assertThat(c.isFresh()).isFalse();
            assertThat(c.backupUnfinished()).isTrue();
            c.reset(); // a rebuild keeps it: the packs of the unfinished run are still unindexed
            assertThat(c.backupUnfinished()).isTrue();
            c.backupUnfinished(false);
        }
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            assertThat(c.backupUnfinished()).isFalse();
        }
    }

    @Test
    void treesAndSnapshotsAreCached() throws IOException {
        Repository repo = repo();
        try (Catalog c = Catalog.open(tmp.resolve("cat"), repo.config().id())) {
            BlobId id = BlobId.of(new byte[32]);
            assertThat(c.cachedTree(id)).isEmpty();
            c.cacheTree(id, new byte[] {1, 2, 3});
            assertThat(c.cachedTree(id)).contains(new byte[] {1, 2, 3});
            c.cacheSnapshot("abcd", new byte[] {9});
            assertThat(c.cachedSnapshot("abcd")).containsExactly(9);
            c.forgetSnapshot("abcd");
            assertThat(c.cachedSnapshots()).isEmpty();
        }
    }
    @Test
    void closingLeavesNothingInTheLogForTheNextOpenToReplay() throws IOException {
        Repository repo = repo();
        Path dir = tmp.resolve("cat");
        List<BlobId> ids = storeBlobs(repo, 200, true);
        try (Catalog c = Catalog.open(dir, repo.config().id())) {
            CatalogSync.syncIndexes(repo, c);
            for (int i = 0; i < 2_000; i++) {
                byte[] raw = new byte[500];
                new Random(i).nextBytes(raw);
                c.cacheTree(repo.newIdHasher().id(raw, 0, raw.length), raw);
            }
            assertThat(logBytes(dir)).as("writes go through the log").isGreaterThan(1_000_000);
        }
        assertThat(logBytes(dir)).as("the memtables were written to table files at close").isZero();
        try (Catalog c = Catalog.open(dir, repo.config().id())) {
            assertThat(c.isFresh()).isFalse();
            for (BlobId id : ids) {
                assertThat(c.contains(id)).isTrue();
            }
        }
    }

    private static long logBytes(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            long n = 0;
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".log") && !f.getFileName().toString().startsWith("LOG")) {
                    n += java.nio.file.Files.size(f);
                }
            }
            return n;
        }
    }
}
