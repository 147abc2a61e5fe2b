package dev.cairn.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectType;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.repo.Repository;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupTest {
    @TempDir
    Path tmp;

    Path src;
    Repository repo;
    Catalog catalog;

    @BeforeEach
    void setUp() throws IOException {
        src = tmp.resolve("src");
        Files.createDirectories(src.resolve("a/b"));
        Files.createDirectories(src.resolve("empty"));
        byte[] big = new byte[300_000];
        new Random(1).nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        Files.writeString(src.resolve("a/hello.txt"), "hello\n");
        Files.writeString(src.resolve("a/b/deep.txt"), "deep ".repeat(1000));
        Files.write(src.resolve("a/b/copy.bin"), big);
        Files.createSymbolicLink(src.resolve("link"), Path.of("a/hello.txt"));
        // Small chunks so that files span several chunks and packs fill up.
        Repository.InitOptions opts = Repository.InitOptions.defaults().withKdfCost(1 << 10)
                .withChunker(ChunkerParams.of(4096, 16384, 65536, 1)).withPackSize(64 * 1024);
        repo = Repository.init(LocalDirectoryBlobStore.at(tmp.resolve("repo")), opts, "pw".toCharArray(),
                Clock.systemUTC());
        catalog = Catalog.open(tmp.resolve("catalog"), repo.config().id());
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    BackupResult backup() throws IOException {
        return Backup.run(repo, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
    }

    MetadataReader reader() {
        return new MetadataReader(repo, catalog);
    }

    Node lookup(MetadataReader r, String snapshotId, String path) throws IOException {
        Tree t = r.tree(r.resolve(snapshotId).snapshot().tree());
        Node n = t.find(FileName.of("src"));
        for (String part : path.split("/")) {
            n = r.tree(n.subtree()).find(FileName.of(part));
            if (n == null) {
                return null;
            }
        }
        return n;
    }

    byte[] content(MetadataReader r, Node file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (BlobId id : file.content()) {
            out.write(r.data(id));
        }
        return out.toByteArray();
    }

    @Test
    void firstBackupStoresEveryFileReadably() throws IOException {
        BackupResult res = backup();
        assertThat(res.exitCode()).isZero();
        assertThat(res.warnings()).isEmpty();
        assertThat(res.summary().filesNew()).isEqualTo(4);
        assertThat(res.summary().totalFiles()).isEqualTo(4);
        assertThat(res.summary().dirsNew()).isEqualTo(4);
        assertThat(res.summary().bytesRead()).isEqualTo(300_000 * 2 + 6 + 5000);
        // The copy deduplicates against the original.
        assertThat(res.summary().dataAdded()).isLessThan(300_000 + 6 + 5000 + 1);
        assertThat(repo.store().list(ObjectType.SNAPSHOT)).hasSize(1);
        try (MetadataReader r = reader()) {
            for (String f : List.of("big.bin", "a/hello.txt", "a/b/deep.txt", "a/b/copy.bin")) {
                Node n = lookup(r, res.snapshotId(), f);
                assertThat(n.type()).isEqualTo(NodeType.FILE);
                assertThat(content(r, n)).as(f).isEqualTo(Files.readAllBytes(src.resolve(f)));
                assertThat(n.mtimeNanos()).isEqualTo(
                        Files.getLastModifiedTime(src.resolve(f)).to(java.util.concurrent.TimeUnit.NANOSECONDS));
            }
            Node link = lookup(r, res.snapshotId(), "link");
            assertThat(link.type()).isEqualTo(NodeType.SYMLINK);
            assertThat(link.linkTarget().toString()).isEqualTo("a/hello.txt");
            assertThat(r.tree(lookup(r, res.snapshotId(), "empty").subtree()).nodes()).isEmpty();
        }
    }

    @Test
    void unchangedTreeGivesTheSameRootAndReadsNothing() throws IOException {
        BackupResult first = backup();
        BackupResult second = backup();
        assertThat(second.parentId()).isEqualTo(first.snapshotId());
        assertThat(second.summary().filesUnmodified()).isEqualTo(4);
        assertThat(second.summary().bytesRead()).isZero();
        assertThat(second.summary().dataBlobs()).isZero();
        assertThat(second.summary().treeBlobs()).isZero();
        try (MetadataReader r = reader()) {
            assertThat(r.resolve(second.snapshotId()).snapshot().tree())
                    .isEqualTo(r.resolve(first.snapshotId()).snapshot().tree());
        }
    }

    @Test
    void onlyTheDirectoriesAboveAChangeGetNewTrees() throws IOException {
        BackupResult first = backup();
        // Metadata only: the directory keeps as many entries, one of them no longer the parent's.
        Files.setPosixFilePermissions(src.resolve("a/hello.txt"), PosixFilePermissions.fromString("rw-------"));
        BackupResult second = backup();
        assertThat(second.summary().dirsChanged()).as("a and the source root").isEqualTo(2);
        assertThat(second.summary().dirsUnmodified()).as("a/b and empty").isEqualTo(2);
        assertThat(second.summary().treeBlobs()).as("a, the source root and the snapshot's root").isEqualTo(3);
        // One entry fewer.
        Files.delete(src.resolve("a/b/copy.bin"));
        BackupResult third = backup();
        assertThat(third.summary().dirsChanged()).as("a/b, a and the source root").isEqualTo(3);
        assertThat(third.summary().dirsUnmodified()).isEqualTo(1);
        try (MetadataReader r = reader()) {
            assertThat(lookup(r, second.snapshotId(), "a/b").subtree())
                    .isEqualTo(lookup(r, first.snapshotId(), "a/b").subtree());
            assertThat(lookup(r, second.snapshotId(), "a").subtree())
                    .isNotEqualTo(lookup(r, first.snapshotId(), "a").subtree());
            assertThat(lookup(r, second.snapshotId(), "a/hello.txt").mode()).isEqualTo(0600);
            assertThat(lookup(r, third.snapshotId(), "a/b/copy.bin")).isNull();
            assertThat(lookup(r, third.snapshotId(), "a/b/deep.txt")).isNotNull();
            assertThat(lookup(r, third.snapshotId(), "empty").subtree())
                    .isEqualTo(lookup(r, first.snapshotId(), "empty").subtree());
        }
        BackupResult fourth = backup();
        assertThat(fourth.summary().dirsUnmodified()).isEqualTo(4);
        assertThat(fourth.summary().treeBlobs()).isZero();
        try (MetadataReader r = reader()) {
            assertThat(r.resolve(fourth.snapshotId()).snapshot().tree())
                    .isEqualTo(r.resolve(third.snapshotId()).snapshot().tree());
        }
    }

    @Test
    void incrementalSeesEditsRenamesDeletionsAndPermissionChanges() throws IOException, InterruptedException {
        backup();
        Files.writeString(src.resolve("a/hello.txt"), "hello, world\n");
        Files.move(src.resolve("a/b/deep.txt"), src.resolve("a/b/renamed.txt"));
        Files.delete(src.resolve("big.bin"));
        Files.setPosixFilePermissions(src.resolve("a/b/copy.bin"), PosixFilePermissions.fromString("rw-------"));
        BackupResult res = backup();
        assertThat(res.summary().filesChanged()).as("edited, and chmod moved ctime").isEqualTo(2);
        assertThat(res.summary().filesNew()).as("the renamed file").isEqualTo(1);
        assertThat(res.summary().filesUnmodified()).isZero();
        assertThat(res.summary().totalFiles()).isEqualTo(3);
        assertThat(res.summary().dataAdded()).as("only the edit is new data").isEqualTo(13);
        try (MetadataReader r = reader()) {
            assertThat(lookup(r, res.snapshotId(), "big.bin")).isNull();
            assertThat(lookup(r, res.snapshotId(), "a/b/deep.txt")).isNull();
            assertThat(content(r, lookup(r, res.snapshotId(), "a/hello.txt")))
                    .isEqualTo("hello, world\n".getBytes(StandardCharsets.UTF_8));
            assertThat(lookup(r, res.snapshotId(), "a/b/copy.bin").mode()).isEqualTo(0600);
        }
    }

    @Test
    void forceRereadsEverything() throws IOException {
        backup();
        BackupResult res = Backup.run(repo, catalog, BackupOptions.of(List.of(src)).withForce(true), BackupProgress.NONE);
        assertThat(res.parentId()).isNull();
        assertThat(res.summary().bytesRead()).isEqualTo(300_000 * 2 + 6 + 5000);
        assertThat(res.summary().dataBlobs()).isZero();
    }

    @Test
    void vanishingFileIsAWarningAndThePartialSnapshotIsWritten() throws IOException {
        // The file disappears after the scanner saw it and before a worker opens it.
        BackupProgress deleteBigWhenCopyIsRead = new BackupProgress() {
            @Override
            public void scanned(Path path, long size) {
                if (path.endsWith("big.bin")) {
                    try {
                        Files.delete(path);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }

            @Override
            public void file(Path path, long size, long bytesRead) {
            }

            @Override
            public void warning(String message) {
            }
        };
        BackupResult res = Backup.run(repo, catalog, BackupOptions.of(List.of(src)), deleteBigWhenCopyIsRead);
        assertThat(res.exitCode()).isEqualTo(BackupResult.EXIT_PARTIAL);
        assertThat(res.warnings()).singleElement().asString().contains("big.bin").contains("vanished");
        try (MetadataReader r = reader()) {
            assertThat(lookup(r, res.snapshotId(), "big.bin")).isNull();
            assertThat(lookup(r, res.snapshotId(), "a/b/copy.bin")).isNotNull();
        }
    }

    /** Runs {@code action} on each entry the scanner has stat'ed, before the entry is listed or read. */
    static BackupProgress onScanned(java.util.function.Consumer<Path> action) {
        return new BackupProgress() {
            @Override
            public void scanned(Path path, long size) {
                action.accept(path);
            }

            @Override
            public void file(Path path, long size, long bytesRead) {
            }

            @Override
            public void warning(String message) {
            }
        };
    }

    static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aDirectoryThatVanishesBeforeItIsListedIsAWarningAndTheRestIsBackedUp() throws IOException {
        BackupResult first = backup();
        // a/b is removed after its lstat and before it is listed; "empty" becomes a regular file in that window.
        BackupResult res = Backup.run(repo, catalog, BackupOptions.of(List.of(src)), onScanned(p -> {
            try {
                if (p.endsWith("a/b")) {
                    deleteTree(p);
                } else if (p.endsWith("empty")) {
                    Files.delete(p);
                    Files.writeString(p, "now a file");
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        assertThat(res.exitCode()).isEqualTo(BackupResult.EXIT_PARTIAL);
        assertThat(res.parentId()).isEqualTo(first.snapshotId());
        assertThat(res.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("vanished before it was listed"));
        assertThat(String.join("\n", res.warnings())).contains(src.resolve("a/b").toString())
                .contains(src.resolve("empty").toString());
        try (MetadataReader r = reader()) {
            assertThat(lookup(r, res.snapshotId(), "a/b")).isNull();
            assertThat(lookup(r, res.snapshotId(), "empty")).isNull();
            assertThat(content(r, lookup(r, res.snapshotId(), "a/hello.txt"))).isEqualTo(
                    "hello\n".getBytes(StandardCharsets.UTF_8));
            assertThat(content(r, lookup(r, res.snapshotId(), "big.bin")))
                    .isEqualTo(Files.readAllBytes(src.resolve("big.bin")));
        }
        // The next run takes the file that replaced the directory, against a parent without either entry.
        BackupResult next = backup();
        assertThat(next.warnings()).isEmpty();
        try (MetadataReader r = reader()) {
            assertThat(lookup(r, next.snapshotId(), "empty").type()).isEqualTo(NodeType.FILE);
            assertThat(lookup(r, next.snapshotId(), "a/b")).isNull();
        }
    }

    @Test
    void unreadableFilesAndDirectoriesAreWarningsWhenNotRoot() throws IOException {
        // Root reads through any mode bits (CAP_DAC_OVERRIDE), so this can only be shown as another user.
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "running as root: mode bits do not deny root");
        Files.setPosixFilePermissions(src.resolve("a/b"), PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(src.resolve("big.bin"), PosixFilePermissions.fromString("---------"));
        try {
            BackupResult res = backup();
            assertThat(res.exitCode()).isEqualTo(BackupResult.EXIT_PARTIAL);
            assertThat(res.warnings()).hasSize(2).allSatisfy(w -> assertThat(w).contains("permission denied"));
            try (MetadataReader r = reader()) {
                assertThat(lookup(r, res.snapshotId(), "a/b")).isNull();
                assertThat(lookup(r, res.snapshotId(), "big.bin")).isNull();
                assertThat(lookup(r, res.snapshotId(), "a/hello.txt")).isNotNull();
            }
        } finally {
            Files.setPosixFilePermissions(src.resolve("a/b"), PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void snapshotLabelsAndMissingSources() throws IOException {
        BackupResult res = Backup.run(repo, catalog, BackupOptions.of(List.of(src)).withTags(List.of("nightly"))
                .withHost("node7").withTime(Instant.parse("2026-01-31T02:00:00Z")), BackupProgress.NONE);
        try (MetadataReader r = reader()) {
            var s = r.resolve(res.snapshotId().substring(0, 6)).snapshot();
            assertThat(s.host()).isEqualTo("node7");
            assertThat(s.tags()).containsExactly("nightly");
            assertThat(s.time()).isEqualTo(Instant.parse("2026-01-31T02:00:00Z"));
            assertThat(s.paths()).containsExactly(src.toString());
        }
        assertThatThrownBy(() -> Backup.run(repo, catalog, BackupOptions.of(List.of(tmp.resolve("nope"))), BackupProgress.NONE))
                .hasMessageContaining("nope");
    }

    /** Fails data-pack writes after {@code okPuts} of them, as a full disk would. */
    static final class FullDiskStore extends dev.cairn.store.ForwardingBlobStore {
        private int okPuts;

        FullDiskStore(dev.cairn.store.BlobStore inner, int okPuts) {
            super(inner);
            this.okPuts = okPuts;
        }

        @Override
        public synchronized void put(dev.cairn.store.ObjectName name, byte[] content, int length,
                dev.cairn.store.Placement placement) throws IOException {
            if (name.type() == ObjectType.DATA && okPuts-- <= 0) {
                throw new IOException(name + ": No space left on device");
            }
            inner.put(name, content, length, placement);
        }
    }

    @Test
    void aRepositoryWriteFailureFailsTheRunAndTheNextRunCompletes() throws IOException {
        Repository failing = Repository.open(new FullDiskStore(repo.store(), 2), "pw".toCharArray(),
                Clock.systemUTC());
        assertThatThrownBy(() -> Backup.run(failing, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE))
                .isInstanceOf(IOException.class).hasMessageContaining("No space left on device");
        assertThat(repo.store().list(ObjectType.SNAPSHOT)).isEmpty();
        assertThat(repo.store().list(ObjectType.LOCK)).as("lock released").isEmpty();
        BackupResult res = backup();
        assertThat(res.warnings()).isEmpty();
        assertThat(Checker.checkStructure(repo).problems()).isEmpty();
        try (MetadataReader r = reader()) {
            assertThat(content(r, lookup(r, res.snapshotId(), "big.bin"))).isEqualTo(Files.readAllBytes(src.resolve("big.bin")));
        }
    }

    /** Counts the listings of packs (data objects). */
    static final class PackListings extends dev.cairn.store.ForwardingBlobStore {
        int count;

        PackListings(dev.cairn.store.BlobStore inner) {
            super(inner);
        }

        @Override
        public synchronized List<dev.cairn.store.ObjectInfo> list(ObjectType type) throws IOException {
            if (type == ObjectType.DATA) {
                count++;
            }
            return inner.list(type);
        }
    }

    @Test
    void packsAreListedOnlyWhenAnEarlierBackupMayHaveDied() throws IOException {
        PackListings listings = new PackListings(repo.store());
        Repository watched = Repository.open(listings, "pw".toCharArray(), Clock.systemUTC());
        Backup.run(watched, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        assertThat(listings.count).as("a catalog that knows nothing yet").isEqualTo(1);
        Files.writeString(src.resolve("a/new.txt"), "new");
        Backup.run(watched, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        assertThat(listings.count).as("after a run that finished").isEqualTo(1);

        // A run that fails part way (a full disk) leaves packs without an index file...
        byte[] more = new byte[300_000];
        new Random(2).nextBytes(more);
        Files.write(src.resolve("more.bin"), more);
        Repository failing = Repository.open(new FullDiskStore(listings, 2), "pw".toCharArray(), Clock.systemUTC());
        assertThatThrownBy(() -> Backup.run(failing, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE))
                .hasMessageContaining("No space left on device");
        assertThat(Checker.checkStructure(repo).unindexedPacks()).isPositive();
        // ...which the next run lists, indexes and reuses.
        BackupResult res = Backup.run(watched, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        assertThat(listings.count).isEqualTo(2);
        assertThat(res.summary().dataAdded()).as("the failed run's chunks reused").isLessThan(more.length);
        assertThat(Checker.checkStructure(repo).unindexedPacks()).isZero();
        Backup.run(watched, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        assertThat(listings.count).isEqualTo(2);

        // A stale lock (a writer, here or on another host, that died holding it) is a sign too.
        dev.cairn.store.repo.RepositoryLock dead = dev.cairn.store.repo.RepositoryLock.shared(repo);
        Repository later = Repository.open(listings, "pw".toCharArray(), Clock.offset(Clock.systemUTC(),
                dev.cairn.store.repo.RepositoryLock.STALE_AFTER.plusMinutes(1)));
        Backup.run(later, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        assertThat(listings.count).isEqualTo(3);
        dead.close();
    }

    @Test
    void excludesLeaveEntriesOut() throws IOException {
        Files.writeString(src.resolve("a/skip.tmp"), "temporary");
        Files.createDirectories(src.resolve("cache/deep"));
        Files.writeString(src.resolve("cache/deep/x"), "cached");
        Files.createDirectories(src.resolve("private"));
        Files.writeString(src.resolve("private/.nobackup"), "");
        Files.writeString(src.resolve("private/secret"), "secret");
        Excludes ex = new Excludes(List.of("*.tmp", src + "/cache/**"), List.of(".nobackup"), false);
        BackupResult res = Backup.run(repo, catalog, BackupOptions.of(List.of(src)).withExcludes(ex),
                BackupProgress.NONE);
        try (MetadataReader r = reader()) {
            assertThat(lookup(r, res.snapshotId(), "a/skip.tmp")).isNull();
            assertThat(lookup(r, res.snapshotId(), "a/hello.txt")).isNotNull();
            assertThat(r.tree(lookup(r, res.snapshotId(), "cache").subtree()).nodes()).isEmpty();
            assertThat(lookup(r, res.snapshotId(), "private")).isNull();
        }
        assertThatThrownBy(() -> new Excludes(List.of("[unclosed"), List.of(), false))
                .hasMessageContaining("'[unclosed'");
        assertThatThrownBy(() -> new Excludes(List.of(), List.of("a/b"), false)).hasMessageContaining("a file name");
    }

    @Test
    void identicalDirectoriesShareOneTree() throws IOException {
        Files.createDirectories(src.resolve("x"));
        Files.createDirectories(src.resolve("y"));
        for (String d : List.of("x", "y")) {
            Files.writeString(src.resolve(d + "/f"), "same");
            Files.setLastModifiedTime(src.resolve(d + "/f"), java.nio.file.attribute.FileTime.fromMillis(1000));
        }
        BackupResult res = backup();
        try (MetadataReader r = reader()) {
            Tree x = r.tree(lookup(r, res.snapshotId(), "x").subtree());
            Tree y = r.tree(lookup(r, res.snapshotId(), "y").subtree());
            assertThat(x.nodes().get(0).content()).isEqualTo(y.nodes().get(0).content());
        }
    }

    @Test
    void aFileReadPastThePageCacheIsStoredWholeAndItsEditsAreFound() throws IOException {
        // Larger than the direct-read threshold and not a multiple of the alignment.
        Path big = src.resolve("a/direct.img");
        byte[] content = new byte[(int) Backup.DIRECT_READ_MIN + 3 * 1024 * 1024 + 12_345];
        new Random(11).nextBytes(content);
        Files.write(big, content);
        BackupResult first = backup();
        assertThat(first.warnings()).isEmpty();
        try (MetadataReader r = reader()) {
            assertThat(content(r, lookup(r, first.snapshotId(), "a/direct.img"))).isEqualTo(content);
        }
        // An edit in the middle and bytes appended: the next backup reads it again and stores only what changed.
        byte[] edited = java.util.Arrays.copyOf(content, content.length + 70_000);
        for (int i = 0; i < 4096; i++) {
            edited[9_000_000 + i] ^= (byte) 0x5a;
        }
        for (int i = content.length; i < edited.length; i++) {
            edited[i] = (byte) i;
        }
        Files.write(big, edited);
        BackupResult second = backup();
        assertThat(second.warnings()).isEmpty();
        assertThat(second.summary().bytesRead()).isEqualTo(edited.length);
        assertThat(second.summary().dataAdded()).as("chunks around the edit and the tail only")
                .isLessThan(content.length / 10);
        try (MetadataReader r = reader()) {
            assertThat(content(r, lookup(r, second.snapshotId(), "a/direct.img"))).isEqualTo(edited);
        }
    }

    @Test
    void aLargeFileIsSealedInParallelWithItsChunksInOrderAndEachStoredOnce() throws IOException {
        // Runs of a repeated block: many identical chunks reach the sealers at once, from one file.
        Path one = tmp.resolve("one");
        Files.createDirectories(one);
        byte[] block = new byte[40_000];
        new Random(7).nextBytes(block);
        byte[] noise = new byte[3_000_000];
        new Random(8).nextBytes(noise);
        java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 30; i++) {
            file.write(noise, i * 100_000, 100_000);
            for (int r = 0; r < 5; r++) {
                file.write(block);
            }
        }
        Files.write(one.resolve("disk.img"), file.toByteArray());
        List<Integer> first = null;
        for (int threads : List.of(1, 4)) {
            Path catalogDir = tmp.resolve("catalog-" + threads);
            Repository r = Repository.init(LocalDirectoryBlobStore.at(tmp.resolve("repo-" + threads)),
                    Repository.InitOptions.defaults().withKdfCost(1 << 10)
                            .withChunker(ChunkerParams.of(4096, 16384, 65536, 1)).withPackSize(64 * 1024),
                    "pw".toCharArray(), Clock.systemUTC());
            try (Catalog c = Catalog.open(catalogDir, r.config().id())) {
                BackupResult res = Backup.run(r, c, BackupOptions.of(List.of(one)).withThreads(threads),
                        BackupProgress.NONE);
                assertThat(res.warnings()).isEmpty();
                try (MetadataReader reader = new MetadataReader(r, c)) {
                    Node n = reader.tree(reader.tree(reader.resolve(res.snapshotId()).snapshot().tree())
                            .find(FileName.of("one")).subtree()).find(FileName.of("disk.img"));
                    assertThat(content(reader, n)).isEqualTo(file.toByteArray());
                    assertThat(n.content().size()).isGreaterThan(100);
                    assertThat(new java.util.HashSet<>(n.content())).as("the block repeats").hasSizeLessThan(
                            n.content().size());
                    assertThat(res.summary().dataBlobs()).as("each distinct chunk stored once")
                            .isEqualTo(new java.util.HashSet<>(n.content()).size());
                    // Ids are keyed per repository: compare where the chunks repeat, which must not depend on threads.
                    List<Integer> shape = new java.util.ArrayList<>();
                    for (BlobId id : n.content()) {
                        shape.add(n.content().indexOf(id));
                    }
                    if (first == null) {
                        first = shape;
                    } else {
                        assertThat(shape).as("the same chunk list, whatever the threads").isEqualTo(first);
                    }
                }
                assertThat(Checker.checkStructure(r).problems()).isEmpty();
            }
        }
    }

    @Test
    void filesReadAgainWithTheSameContentAddNothingAndEditsAreStored() throws IOException {
        BackupResult first = backup();
        // New mtimes, same contents (a re-extracted tree): every file is read again, nothing new is stored.
        java.nio.file.attribute.FileTime later = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() + 60_000);
        for (String f : List.of("big.bin", "a/hello.txt", "a/b/deep.txt", "a/b/copy.bin")) {
            Files.setLastModifiedTime(src.resolve(f), later);
        }
        BackupResult touched = backup();
        assertThat(touched.summary().filesChanged()).isEqualTo(4);
        assertThat(touched.summary().bytesRead()).isEqualTo(first.summary().bytesRead());
        assertThat(touched.summary().dataBlobs()).isZero();
        // One byte changed in the middle of the large file and in the small one, sizes unchanged: stored.
        byte[] big = Files.readAllBytes(src.resolve("big.bin"));
        big[150_000] ^= 1;
        Files.write(src.resolve("big.bin"), big);
        Files.writeString(src.resolve("a/hello.txt"), "hellO\n");
        BackupResult edited = backup();
        assertThat(edited.summary().dataBlobs()).isGreaterThanOrEqualTo(2);
        assertThat(Checker.checkStructure(repo).problems()).isEmpty();
        try (MetadataReader r = reader()) {
            assertThat(content(r, lookup(r, edited.snapshotId(), "big.bin"))).isEqualTo(big);
            assertThat(content(r, lookup(r, edited.snapshotId(), "a/hello.txt"))).asString().isEqualTo("hellO\n");
            assertThat(content(r, lookup(r, touched.snapshotId(), "a/b/copy.bin")))
                    .isEqualTo(Files.readAllBytes(src.resolve("a/b/copy.bin")));
        }
    }
}
