package dev.cairn.restore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupProgress;
import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.InMemoryBlobIndex;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.store.BlobStore;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restore options, the overwrite policies, resuming, and what a failed restore leaves behind. */
class RestorerTest {
    @TempDir
    Path tmp;

    Path src;
    Repository repo;
    InMemoryBlobIndex index;

    @BeforeEach
    void backUp() throws Exception {
        src = tmp.resolve("src");
        Random r = new Random(3);
        for (int d = 0; d < 6; d++) {
            Path dir = Files.createDirectories(src.resolve("d" + d + "/inner"));
            for (int f = 0; f < 8; f++) {
                byte[] b = new byte[1000 + r.nextInt(300_000)];
                r.nextBytes(b);
                Files.write(dir.resolve("f" + f + ".bin"), b);
            }
            Files.writeString(src.resolve("d" + d + "/notes.txt"), "notes " + d + "\n");
        }
        Files.writeString(src.resolve("top.log"), "log\n");
        repo = Repository.init(LocalDirectoryBlobStore.at(tmp.resolve("repo")),
                Repository.InitOptions.defaults().withKdfCost(1 << 10)
                        .withChunker(ChunkerParams.of(16 * 1024, 64 * 1024, 256 * 1024, 1)).withPackSize(256 * 1024),
                "pw".toCharArray(), Clock.systemUTC());
        try (Catalog catalog = Catalog.open(tmp.resolve("catalog"), repo.config().id())) {
            Backup.run(repo, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        }
        index = InMemoryBlobIndex.load(repo);
    }

    RestoreResult restore(Repository from, RestoreOptions options, Path target, List<String> actions)
            throws IOException {
        try (MetadataReader reader = new MetadataReader(from, index)) {
            RestoreListener l = new RestoreListener() {
                @Override
                public void action(String verb, Path path) {
                    synchronized (actions) {
                        actions.add(verb + " " + tmp.relativize(path));
                    }
                }
            };
            return new Restorer(from, index, reader, options, l).restore(reader.resolve("latest").snapshot().tree(),
                    "/", target);
        }
    }

    RestoreResult restore(RestoreOptions options, Path target) throws IOException {
        return restore(repo, options, target, new ArrayList<>());
    }

    static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    static void assertSameContent(Path a, Path b) throws IOException {
        assertThat(files(b)).isEqualTo(files(a));
        for (String f : files(a)) {
            assertThat(b.resolve(f)).hasSameBinaryContentAs(a.resolve(f));
        }
    }

    @Test
    void restoresEverythingInParallelAndVerifies() throws IOException {
        Path out = tmp.resolve("out");
        RestoreResult r = restore(RestoreOptions.defaults().withThreads(4).withVerify(true), out);
        assertSameContent(src, out.resolve("src"));
        assertThat(r.files()).isEqualTo(files(src).size());
        assertThat(r.verified()).isEqualTo(r.files());
        assertThat(r.errors()).isEmpty();
        assertThat(r.bytes()).isEqualTo(files(src).stream().mapToLong(f -> src.resolve(f).toFile().length()).sum());
    }

    @Test
    void includeAndExcludeSelectSubtrees() throws IOException {
        Path out = tmp.resolve("out");
        restore(RestoreOptions.defaults().withFilters(List.of("/src/d1", "*.txt"), List.of("/src/d1/inner/f3.bin")),
                out);
        List<String> got = files(out.resolve("src"));
        assertThat(got).contains("d1/inner/f0.bin", "d1/notes.txt", "d4/notes.txt")
                .doesNotContain("d1/inner/f3.bin", "d2/inner/f0.bin", "top.log");
        assertThat(got).hasSize(7 + 1 + 5);
    }

    @Test
    void secondRunKeepsCompleteFilesAndRewritesChangedOnes() throws IOException {
        Path out = tmp.resolve("out");
        restore(RestoreOptions.defaults(), out);
        Path kept = out.resolve("src/d0/inner/f0.bin");
        Path changed = out.resolve("src/d2/inner/f1.bin");
        Object keptInode = Files.getAttribute(kept, "unix:ino");
        Files.write(changed, new byte[] {1, 2, 3});
        List<String> actions = new ArrayList<>();
        RestoreResult r = restore(repo, RestoreOptions.defaults(), out, actions);
        assertThat(r.files()).isEqualTo(1);
        assertThat(r.unchanged()).isEqualTo(files(src).size() - 1);
        assertThat(actions).contains("restore out/src/d2/inner/f1.bin", "keep out/src/d0/inner/f0.bin");
        assertThat(Files.getAttribute(kept, "unix:ino")).isEqualTo(keptInode);
        assertSameContent(src, out.resolve("src"));

        Files.write(changed, new byte[] {1, 2, 3});
        Files.setLastModifiedTime(changed, FileTime.fromMillis(0));
        r = restore(RestoreOptions.defaults().withOverwrite(Overwrite.NEVER), out);
        assertThat(r.files()).isZero();
        assertThat(Files.size(changed)).isEqualTo(3);
        r = restore(RestoreOptions.defaults().withOverwrite(Overwrite.IF_NEWER), out);
        assertThat(r.files()).isEqualTo(1);
        assertThat(changed).hasSameBinaryContentAs(src.resolve("d2/inner/f1.bin"));
        r = restore(RestoreOptions.defaults().withOverwrite(Overwrite.ALWAYS), out);
        assertThat(r.files()).isEqualTo(files(src).size());
        assertThat(Files.getAttribute(kept, "unix:ino")).isNotEqualTo(keptInode);
    }

    @Test
    void verifyFindsAFileDamagedBehindItsMetadata() throws IOException {
        Path out = tmp.resolve("out");
        restore(RestoreOptions.defaults(), out);
        Path f = out.resolve("src/d3/inner/f2.bin");
        FileTime mtime = Files.getLastModifiedTime(f);
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);
        Files.setLastModifiedTime(f, mtime);
        RestoreResult r = restore(RestoreOptions.defaults().withVerify(true), out);
        assertThat(r.errors()).singleElement().asString().contains("f2.bin").contains("does not match");
        assertThat(r.verified()).isEqualTo(files(src).size() - 1);
    }

    @Test
    void deleteRemovesWhatTheSnapshotDoesNotHoldAndDryRunChangesNothing() throws IOException {
        Path out = tmp.resolve("out");
        restore(RestoreOptions.defaults(), out);
        Files.writeString(out.resolve("src/d0/extra.txt"), "extra");
        Files.createDirectories(out.resolve("src/stray/dir"));
        Files.writeString(out.resolve("src/stray/dir/x"), "x");
        Files.delete(out.resolve("src/d5/notes.txt"));

        List<String> actions = new ArrayList<>();
        RestoreResult dry = restore(repo, RestoreOptions.defaults().withDelete(true).withDryRun(true), out, actions);
        assertThat(dry.deleted()).isEqualTo(2);
        assertThat(dry.files()).isEqualTo(1);
        assertThat(actions).contains("delete out/src/d0/extra.txt", "delete out/src/stray",
                "restore out/src/d5/notes.txt");
        assertThat(out.resolve("src/d0/extra.txt")).exists();
        assertThat(out.resolve("src/d5/notes.txt")).doesNotExist();

        Path fresh = tmp.resolve("fresh");
        RestoreResult none = restore(RestoreOptions.defaults().withDryRun(true), fresh);
        assertThat(none.files()).isEqualTo(files(src).size());
        assertThat(fresh).doesNotExist();

        RestoreResult r = restore(RestoreOptions.defaults().withDelete(true), out);
        assertThat(r.deleted()).isEqualTo(2);
        assertSameContent(src, out.resolve("src"));
        assertThat(out.resolve("src/stray")).doesNotExist();
    }

    /** A store whose reads of packs start failing after a number of them, like a connection that drops. */
    static final class FailingStore extends dev.cairn.store.ForwardingBlobStore {
        final AtomicInteger dataReadsLeft;

        FailingStore(BlobStore inner, int dataReads) {
            super(inner);
            this.dataReadsLeft = new AtomicInteger(dataReads);
        }

        @Override
        public byte[] get(ObjectName name, long offset, int length) throws IOException {
            if (name.type() == ObjectType.DATA && dataReadsLeft.decrementAndGet() < 0) {
                throw new IOException("connection reset while reading " + name);
            }
            return inner.get(name, offset, length);
        }
    }

    @Test
    void aFailedRestoreLeavesOnlyCompleteFilesAndARerunFinishesIt() throws IOException {
        Path out = tmp.resolve("out");
        FailingStore counting = new FailingStore(LocalDirectoryBlobStore.at(tmp.resolve("repo")), Integer.MAX_VALUE);
        restore(Repository.open(counting, "pw".toCharArray(), Clock.systemUTC()),
                RestoreOptions.defaults().withThreads(1), tmp.resolve("counted"), new ArrayList<>());
        int reads = Integer.MAX_VALUE - counting.dataReadsLeft.get();
        Repository flaky = Repository.open(new FailingStore(LocalDirectoryBlobStore.at(tmp.resolve("repo")), reads * 2 / 3),
                "pw".toCharArray(), Clock.systemUTC());
        assertThatThrownBy(() -> restore(flaky, RestoreOptions.defaults().withThreads(1), out, new ArrayList<>()))
                .hasMessageContaining("connection reset");
        List<String> partial = files(out);
        assertThat(partial).noneMatch(f -> f.contains("cairn-partial"));
        for (String f : partial) {
            assertThat(out.resolve(f)).hasSameBinaryContentAs(src.resolve(Path.of("src").relativize(Path.of(f))));
        }
        assertThat(partial).isNotEmpty().hasSizeLessThan(files(src).size());

        RestoreResult r = restore(RestoreOptions.defaults(), out);
        assertThat(r.unchanged()).isEqualTo(partial.size());
        assertThat(r.files()).isEqualTo(files(src).size() - partial.size());
        assertSameContent(src, out.resolve("src"));
    }

    @Test
    void aFullDiskFailsTheRestoreWithTheReasonAndNoHalfWrittenFile() throws Exception {
        Path small = Files.createDirectories(tmp.resolve("small"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", small.toString())
                .redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mount.waitFor() == 0,
                "needs root to mount a small tmpfs: " + new String(mount.getInputStream().readAllBytes()));
        try {
            assertThatThrownBy(() -> restore(RestoreOptions.defaults(), small.resolve("out")))
                    .hasMessageContaining("No space left on device");
            List<String> left = files(small);
            assertThat(left).noneMatch(f -> f.contains("cairn-partial"));
            for (String f : left) {
                assertThat(small.resolve(f)).as(f)
                        .hasSameBinaryContentAs(src.resolve(Path.of("src").relativize(Path.of(f).subpath(1,
                                Path.of(f).getNameCount()))));
            }
        } finally {
            new ProcessBuilder("umount", small.toString()).start().waitFor();
        }
    }
}
