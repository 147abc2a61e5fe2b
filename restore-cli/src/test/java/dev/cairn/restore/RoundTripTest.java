package dev.cairn.restore;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupProgress;
import dev.cairn.backup.BackupResult;
import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.InMemoryBlobIndex;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backs up a tree with every kind of entry, restores it elsewhere, and compares content and metadata. */
class RoundTripTest {
    @TempDir
    Path tmp;

    static void generate(Path src) throws IOException, InterruptedException {
        Files.createDirectories(src.resolve("dir/sub/deeper"));
        Files.createDirectories(src.resolve("empty dir"));
        Random r = new Random(11);
        byte[] large = new byte[2_500_000];
        r.nextBytes(large);
        Files.write(src.resolve("large.bin"), large);
        Files.write(src.resolve("empty"), new byte[0]);
        Files.writeString(src.resolve("dir/name with spaces.txt"), "spaces\n");
        Files.writeString(src.resolve("dir/new\nline"), "newline in name\n");
        Files.writeString(src.resolve("dir/ünïcødé.txt"), "utf-8 name\n");
        StringBuilder deep = new StringBuilder("dir/sub/deeper");
        for (int i = 0; i < 20; i++) {
            deep.append("/level").append(i);
        }
        Files.createDirectories(src.resolve(deep.toString()));
        Files.writeString(src.resolve(deep + "/leaf.txt"), "deep\n");
        try (RandomAccessFile f = new RandomAccessFile(src.resolve("sparse.img").toFile(), "rw")) {
            f.setLength(20L << 20);
            f.seek(10L << 20);
            f.write("middle".getBytes());
        }
        Files.createSymbolicLink(src.resolve("link-to-large"), Path.of("large.bin"));
        Files.createSymbolicLink(src.resolve("dangling"), Path.of("does/not/exist"));
        Files.createLink(src.resolve("dir/hardlink.bin"), src.resolve("large.bin"));
        new ProcessBuilder("mkfifo", src.resolve("fifo").toString()).start().waitFor();
        // A name that is not UTF-8 (Latin-1 "café"); only a shell can make it, Java has no byte-string names.
        new ProcessBuilder("sh", "-c", "printf latin1 > \"$1/$(printf 'caf\\351')\"", "sh", src.resolve("dir").toString())
                .start().waitFor();
        Files.setAttribute(src.resolve("dir/sub"), "unix:mode", 02750);
        Files.setAttribute(src.resolve("empty"), "unix:mode", 0400);
        Files.setLastModifiedTime(src.resolve("dir/name with spaces.txt"),
                FileTime.from(981173106123456789L, TimeUnit.NANOSECONDS));
        UserDefinedFileAttributeView xa = Files.getFileAttributeView(src.resolve("large.bin"),
                UserDefinedFileAttributeView.class);
        try {
            xa.write("user.origin", ByteBuffer.wrap("cairn-test".getBytes()));
        } catch (IOException unsupported) {
            // Filesystems without user xattrs: the comparison below sees none on either side.
        }
    }

    /** Everything a restore must reproduce, per relative path. */
    static Map<String, String> describe(Path root) throws Exception {
        Map<String, String> out = new TreeMap<>();
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.forEach(all::add);
        }
        Map<Object, String> firstOfInode = new java.util.HashMap<>();
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime,nlink,ino,uid,gid",
                    LinkOption.NOFOLLOW_LINKS);
            StringBuilder d = new StringBuilder();
            int mode = (Integer) a.get("mode");
            d.append("mode=").append(Integer.toOctalString(mode));
            d.append(" uid=").append(a.get("uid")).append(" gid=").append(a.get("gid"));
            boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            boolean link = Files.isSymbolicLink(p);
            if (!dir) {
                d.append(" size=").append(a.get("size"));
            }
            long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
            // Symlink times are set with microsecond precision by the JDK.
            d.append(" mtime=").append(link ? mtime / 1000 : mtime);
            if (link) {
                d.append(" target=").append(Files.readSymbolicLink(p));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                d.append(" sha=").append(java.util.HexFormat.of().formatHex(java.security.MessageDigest
                        .getInstance("SHA-256").digest(Files.readAllBytes(p))));
                d.append(" links=").append(a.get("nlink"));
                String first = firstOfInode.putIfAbsent(a.get("ino"), rel);
                d.append(" same-inode-as=").append(first == null ? rel : first);
                UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                for (String n : v.list()) {
                    ByteBuffer b = ByteBuffer.allocate(v.size(n));
                    v.read(n, b);
                    d.append(" xattr:").append(n).append('=').append(new String(b.array(), 0, b.position()));
                }
            }
            out.put(rel, d.toString());
        }
        return out;
    }

    @Test
    void everyKindOfEntryRoundTrips() throws Exception {
        Path src = tmp.resolve("src");
        generate(src);
        Map<String, String> before = describe(src);
        Repository repo = Repository.init(LocalDirectoryBlobStore.at(tmp.resolve("repo")),
                Repository.InitOptions.defaults().withKdfCost(1 << 10)
                        .withChunker(ChunkerParams.of(64 * 1024, 256 * 1024, 1024 * 1024, 1)),
                "pw".toCharArray(), Clock.systemUTC());
        BackupResult res;
        try (Catalog catalog = Catalog.open(tmp.resolve("catalog"), repo.config().id())) {
            res = Backup.run(repo, catalog, BackupOptions.of(List.of(src)), BackupProgress.NONE);
        }
        assertThat(res.warnings()).isEmpty();

        // A fresh process view: reopen the repository from its files alone.
        Repository reopened = Repository.open(LocalDirectoryBlobStore.at(tmp.resolve("repo")), "pw".toCharArray(),
                Clock.systemUTC());
        Path target = tmp.resolve("restored");
        InMemoryBlobIndex index = InMemoryBlobIndex.load(reopened);
        try (MetadataReader reader = new MetadataReader(reopened, index)) {
            RestoreResult rr = new Restorer(reopened, index, reader, RestoreOptions.defaults().withVerify(true),
                    RestoreListener.NONE).restore(reader.resolve("latest").snapshot().tree(), "/", target);
            assertThat(rr.warnings()).isEmpty();
            assertThat(rr.errors()).isEmpty();
            assertThat(rr.verified()).isEqualTo(rr.files() + rr.unchanged() - 1); // the hardlink is checked once
        }
        Map<String, String> after = describe(target.resolve("src"));
        assertThat(after).containsExactlyEntriesOf(before);
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xe9};
        try (Stream<Path> restored = Files.list(target.resolve("src/dir"))) {
            assertThat(restored.map(p -> dev.cairn.backup.RawPaths.name(p).bytes()))
                    .anySatisfy(b -> assertThat(b).isEqualTo(latin1));
        }
        long allocated = (Long) Files.getAttribute(target.resolve("src/sparse.img"), "unix:size");
        assertThat(allocated).isEqualTo(20L << 20);
        assertThat(blocks(target.resolve("src/sparse.img"))).as("holes recreated").isLessThan(2L << 20);
        assertThat(Files.list(target.resolve("src")).map(p -> p.getFileName().toString()))
                .noneMatch(n -> n.contains("cairn-partial"));
    }

    static long blocks(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("stat", "-c", "%b*%B", p.toString()).start();
        String[] out = new String(proc.getInputStream().readAllBytes()).trim().split("\\*");
        proc.waitFor();
        return Long.parseLong(out[0]) * Long.parseLong(out[1]);
    }
}
