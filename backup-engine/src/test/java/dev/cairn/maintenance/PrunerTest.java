package dev.cairn.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.Checker;
import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.InMemoryBlobIndex;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.Placement;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.repo.RepositoryLock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prune plans and executions, and prunes interrupted at every step. */
class PrunerTest {
    @TempDir
    Path tmp;

    Path src;
    Path repoDir;
    /** Snapshot id -> (path -> SHA-256 of content), as backed up. */
    Map<String, Map<String, String>> expected = new TreeMap<>();
    List<String> kept = new ArrayList<>();

    static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    Map<String, String> contentOf(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put("/" + root.getFileName() + "/" + root.relativize(p), sha(Files.readAllBytes(p)));
            }
        }
        return m;
    }

    /** Five snapshots of a changing tree; the 1st, 2nd and 4th are forgotten. */
    @BeforeEach
    void history() throws Exception {
        src = tmp.resolve("src");
        repoDir = tmp.resolve("repo");
        Random r = new Random(12);
        Repository repo = Repository.init(LocalDirectoryBlobStore.at(repoDir), Repository.InitOptions.defaults()
                .withKdfCost(1 << 10).withChunker(ChunkerParams.of(4096, 16384, 65536, 1)).withPackSize(64 << 10),
                "pw".toCharArray(), Clock.systemUTC());
        List<String> ids = new ArrayList<>();
        try (Catalog catalog = Catalog.open(tmp.resolve("catalog"), repo.config().id())) {
            for (int round = 0; round < 5; round++) {
                for (int f = 0; f < 12; f++) {
                    Path p = src.resolve("d" + (f % 3) + "/f" + f);
                    Files.createDirectories(p.getParent());
                    if (round == 0 || r.nextInt(3) == 0) {
                        byte[] b = new byte[r.nextInt(120_000)];
                        r.nextBytes(b);
                        Files.write(p, b);
                    }
                }
                Files.deleteIfExists(src.resolve("d1/f" + (round + 1)));
                var res = Backup.run(repo, catalog, BackupOptions.of(List.of(src))
                        .withTime(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(3600L * round)),
                        dev.cairn.backup.BackupProgress.NONE);
                ids.add(res.snapshotId());
                expected.put(res.snapshotId(), contentOf(src));
            }
        }
        for (int i : new int[] {0, 1, 3}) {
            repo.store().delete(ObjectName.of(ObjectType.SNAPSHOT, ids.get(i)));
            expected.remove(ids.get(i));
        }
        kept.addAll(expected.keySet());
        repo.close();
    }

    Repository open(BlobStore store) throws IOException {
        return Repository.open(store, "pw".toCharArray(), Clock.systemUTC());
    }

    /** Reads every file of every snapshot back, through the repository alone, and compares it. */
    void assertKeptSnapshotsRestorable(Repository repo) throws Exception {
        InMemoryBlobIndex index = InMemoryBlobIndex.load(repo);
        try (MetadataReader reader = new MetadataReader(repo, index)) {
            List<MetadataReader.SnapshotRef> snaps = reader.snapshots();
            assertThat(snaps.stream().map(MetadataReader.SnapshotRef::id)).containsExactlyInAnyOrderElementsOf(kept);
            for (MetadataReader.SnapshotRef s : snaps) {
                Map<String, String> got = new TreeMap<>();
                walk(reader, s.snapshot().tree(), "", got);
                assertThat(got).as("snapshot %s", s.shortId()).isEqualTo(expected.get(s.id()));
            }
        }
        Checker.Result structure = Checker.checkStructure(repo);
        assertThat(structure.problems()).isEmpty();
    }

    void walk(MetadataReader reader, BlobId tree, String path, Map<String, String> out) throws Exception {
        for (Node n : reader.tree(tree).nodes()) {
            String p = path + "/" + n.name();
            if (n.type() == NodeType.DIRECTORY) {
                walk(reader, n.subtree(), p, out);
            } else if (n.type() == NodeType.FILE) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                for (BlobId c : n.content()) {
                    b.write(reader.data(c));
                }
                out.put(p, sha(b.toByteArray()));
            }
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    Pruner.Result prune(Repository repo) throws IOException {
        try (RepositoryLock lock = RepositoryLock.exclusive(repo)) {
            Pruner p = Pruner.withLock(repo, lock);
            return p.execute(p.plan(0.05), Pruner.Listener.NONE);
        }
    }

    @Test
    void planIsADryRunAndExecutionShrinksTheRepositoryKeepingEverySnapshot() throws Exception {
        try (Repository repo = open(LocalDirectoryBlobStore.at(repoDir))) {
            long before = size(repoDir.resolve("data"));
            Pruner.Plan plan;
            try (RepositoryLock lock = RepositoryLock.exclusive(repo)) {
                plan = Pruner.withLock(repo, lock).plan(0.05);
            }
            assertThat(plan.count(Pruner.Fate.DELETE) + plan.count(Pruner.Fate.REPACK)).isPositive();
            assertThat(plan.unusedBlobs()).isPositive();
            assertThat(size(repoDir.resolve("data"))).as("planning changes nothing").isEqualTo(before);

            Pruner.Result r = prune(repo);
            assertThat(r.bytesAfter()).isLessThan(r.bytesBefore());
            assertThat(size(repoDir.resolve("data"))).isEqualTo(r.bytesAfter());
            assertKeptSnapshotsRestorable(repo);
            assertThat(Checker.checkData(repo, Checker.Subset.ALL, new Random(1)).problems()).isEmpty();

            try (RepositoryLock lock = RepositoryLock.exclusive(repo)) {
                Pruner.Plan again = Pruner.withLock(repo, lock).plan(0.05);
                assertThat(again.count(Pruner.Fate.DELETE)).isZero();
                assertThat(again.unusedBlobs()).isLessThan(plan.unusedBlobs());
            }
        }
    }

    @Test
    void pruneNeedsTheExclusiveLock() throws Exception {
        try (Repository repo = open(LocalDirectoryBlobStore.at(repoDir));
                RepositoryLock shared = RepositoryLock.shared(repo)) {
            assertThatThrownBy(() -> Pruner.withLock(repo, shared)).hasMessageContaining("exclusive lock");
            assertThatThrownBy(() -> RepositoryLock.exclusive(repo)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aDamagedSnapshotStopsPruneBeforeAnythingIsRemoved() throws Exception {
        try (Repository repo = open(LocalDirectoryBlobStore.at(repoDir))) {
            // Remove every tree pack: snapshots can no longer be walked.
            try (var codec = repo.newCodec()) {
                for (ObjectInfo p : repo.store().list(ObjectType.DATA)) {
                    if (dev.cairn.store.pack.PackReader.readHeader(repo.store(), p, codec).get(0).type()
                            == dev.cairn.store.pack.BlobType.TREE) {
                        repo.store().delete(p.name());
                    }
                }
            }
            long before = size(repoDir.resolve("data"));
            assertThatThrownBy(() -> prune(repo)).hasMessageContaining("refusing to prune");
            assertThat(size(repoDir.resolve("data"))).isEqualTo(before);
        }
    }

    /** A store that dies (every later write fails) at its {@code k}-th write or delete; counts them otherwise. */
    static final class DyingStore extends dev.cairn.store.ForwardingBlobStore {
        final int dieAt;
        final AtomicInteger writes = new AtomicInteger();

        DyingStore(BlobStore inner, int dieAt) {
            super(inner);
            this.dieAt = dieAt;
        }

        private void write(ObjectName name) throws IOException {
            if (name.type() != ObjectType.LOCK && writes.incrementAndGet() >= dieAt) {
                throw new IOException("killed at write " + dieAt);
            }
        }

        @Override
        public void put(ObjectName name, byte[] content, int length, Placement placement) throws IOException {
            write(name);
            inner.put(name, content, length, placement);
        }

        @Override
        public void delete(ObjectName name) throws IOException {
            write(name);
            inner.delete(name);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void aPruneKilledAtAnyStepLeavesAValidRepositoryAndARerunFinishes() throws Exception {
        DyingStore counter = new DyingStore(LocalDirectoryBlobStore.at(repoDir.resolveSibling("count")), Integer.MAX_VALUE);
        copyTree(repoDir, repoDir.resolveSibling("count"));
        try (Repository repo = open(counter)) {
            prune(repo);
        }
        int steps = counter.writes.get();
        assertThat(steps).isGreaterThan(3);
        long finalSize = size(repoDir.resolveSibling("count").resolve("data"));
        for (int k = 1; k <= steps; k++) {
            Path copy = tmp.resolve("kill-" + k);
            copyTree(repoDir, copy);
            try (Repository dying = open(new DyingStore(LocalDirectoryBlobStore.at(copy), k))) {
                assertThatThrownBy(() -> prune(dying)).as("killed at step %d", k).hasMessageContaining("killed at");
            }
            // The lock of the killed run is left behind, as after kill -9; it would go stale. Remove it here.
            try (Repository repo = open(LocalDirectoryBlobStore.at(copy))) {
                for (ObjectInfo l : repo.store().list(ObjectType.LOCK)) {
                    repo.store().delete(l.name());
                }
                assertKeptSnapshotsRestorable(repo);
                prune(repo);
                assertKeptSnapshotsRestorable(repo);
                try (RepositoryLock lock = RepositoryLock.exclusive(repo)) {
                    Pruner.Plan left = Pruner.withLock(repo, lock).plan(0.05);
                    assertThat(left.count(Pruner.Fate.DELETE)).as("after a kill at step %d and a rerun", k).isZero();
                }
                // Packs are named by content with random nonces, so repacking may group blobs differently.
                assertThat(size(copy.resolve("data"))).isLessThan(finalSize + finalSize / 20);
            }
        }
    }
}
