package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectType;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.IndexFile;
import dev.cairn.store.repo.Repository;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 during a backup, then a backup and a full check. */
class CrashTest {
    @TempDir
    Path tmp;

    @Test
    void killedBackupLeavesAValidRepositoryAndItsPacksAreReused() throws Exception {
        Path src = tmp.resolve("src");
        Random r = new Random(3);
        for (int d = 0; d < 8; d++) {
            Path dir = src.resolve("d" + d);
            Files.createDirectories(dir);
            for (int f = 0; f < 12; f++) {
                byte[] b = new byte[400_000 + r.nextInt(200_000)];
                r.nextBytes(b);
                Files.write(dir.resolve("f" + f), b);
            }
        }
        Path repoDir = tmp.resolve("repo");
        Path catalogDir = tmp.resolve("catalog");
        Repository repo = Repository.init(LocalDirectoryBlobStore.at(repoDir), Repository.InitOptions.defaults()
                .withKdfCost(1 << 10).withChunker(ChunkerParams.of(16 * 1024, 64 * 1024, 256 * 1024, 1))
                .withPackSize(256 * 1024), "pw".toCharArray(), Clock.systemUTC());

        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "--add-opens", "java.base/sun.nio.fs=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), BackupChild.class.getName(), repoDir.toString(),
                catalogDir.toString(), src.toString(), "pw").redirectErrorStream(true)
                .redirectOutput(tmp.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (repo.store().list(ObjectType.DATA).size() < 20 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL
        assertThat(repo.store().list(ObjectType.SNAPSHOT)).as("killed before its snapshot").isEmpty();
        int packsBefore = repo.store().list(ObjectType.DATA).size();
        assertThat(packsBefore).isGreaterThanOrEqualTo(20);

        // The repository is valid as it is: no snapshot, so nothing can be damaged.
        assertThat(Checker.checkStructure(repo).problems()).isEmpty();

        BackupResult res;
        try (Catalog catalog = Catalog.open(catalogDir, repo.config().id())) {
            res = Backup.run(repo, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
            assertThat(res.warnings()).isEmpty();
            long total = res.summary().bytesRead();
            assertThat(res.summary().dataAdded()).as("data from the killed run is reused").isLessThan(total);

            // Nothing stored twice: every blob id lives in exactly one pack.
            Map<BlobId, BlobId> packOf = new HashMap<>();
            try (BlobCodec codec = repo.newCodec()) {
                for (ObjectInfo i : repo.store().list(ObjectType.INDEX)) {
                    for (IndexEntry e : IndexFile.load(repo.store(), codec, i.name())) {
                        BlobId prev = packOf.put(e.blob().id(), e.pack());
                        assertThat(prev == null || prev.equals(e.pack())).as("blob %s in two packs", e.blob().id())
                                .isTrue();
                    }
                }
            }
            Checker.Result check = Checker.checkStructure(repo);
            assertThat(check.problems()).isEmpty();
            assertThat(check.unindexedPacks()).as("leftover packs were indexed").isZero();

            try (MetadataReader reader = new MetadataReader(repo, catalog)) {
                Tree root = reader.tree(reader.resolve(res.snapshotId()).snapshot().tree());
                Tree top = reader.tree(root.find(FileName.of("src")).subtree());
                for (Node d : top.nodes()) {
                    for (Node f : reader.tree(d.subtree()).nodes()) {
                        ByteArrayOutputStream out = new ByteArrayOutputStream();
                        for (BlobId c : f.content()) {
                            out.write(reader.data(c));
                        }
                        assertThat(out.toByteArray()).isEqualTo(
                                Files.readAllBytes(src.resolve(d.name().toString()).resolve(f.name().toString())));
                    }
                }
            }
        }
    }
}
