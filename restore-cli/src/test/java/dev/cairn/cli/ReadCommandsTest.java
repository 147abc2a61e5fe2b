package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snapshots, ls, find, diff, stats, cat, dump and restore's options, in-process as a user types them. */
class ReadCommandsTest {
    @TempDir
    Path tmp;

    Map<String, String> env = new HashMap<>();
    String out;
    String err;
    byte[] rawOut;
    Path src;
    String first;
    String second;

    int cairn(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Cairn.run(args, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        rawOut = o.toByteArray();
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    void assertOneLineError(String contains) {
        assertThat(err.strip()).startsWith("cairn: ").contains(contains).doesNotContain("\n");
    }

    /** Two snapshots of a small tree: between them one file is edited, one added, one removed, one chmodded. */
    @BeforeEach
    void twoSnapshots() throws Exception {
        env.put("CAIRN_REPOSITORY", tmp.resolve("repo").toString());
        env.put("CAIRN_PASSWORD", "pw");
        env.put("CAIRN_CACHE_DIR", tmp.resolve("cache").toString());
        src = tmp.resolve("data");
        Files.createDirectories(src.resolve("docs/deep"));
        Files.writeString(src.resolve("docs/readme.txt"), "read me\n".repeat(50));
        Files.writeString(src.resolve("docs/deep/budget.xlsx"), "numbers");
        Files.writeString(src.resolve("old.txt"), "old");
        byte[] b = new byte[700_000];
        new Random(2).nextBytes(b);
        Files.write(src.resolve("blob.bin"), b);
        Files.createLink(src.resolve("blob-link.bin"), src.resolve("blob.bin"));
        Files.createSymbolicLink(src.resolve("to-readme"), Path.of("docs/readme.txt"));
        assertThat(cairn("init", "--kdf-cost", "1024")).isZero();
        assertThat(cairn("backup", src.toString(), "--tag", "daily", "--host", "nas1")).isZero();
        Files.writeString(src.resolve("docs/readme.txt"), "changed\n");
        Files.writeString(src.resolve("new.txt"), "new");
        Files.delete(src.resolve("old.txt"));
        Files.setAttribute(src.resolve("docs/deep/budget.xlsx"), "unix:mode", 0600);
        assertThat(cairn("backup", src.toString(), "--tag", "weekly", "--host", "nas2")).isZero();
        assertThat(cairn("snapshots", "--json")).isZero();
        List<String> ids = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"id\" : \"([0-9a-f]{64})\"").matcher(out);
        while (m.find()) {
            ids.add(m.group(1));
        }
        assertThat(ids).hasSize(2);
        first = ids.get(0).substring(0, 10);
        second = ids.get(1).substring(0, 10);
    }

    @Test
    void snapshotsFilterAndLatest() {
        assertThat(cairn("snapshots", "--host", "nas1")).isZero();
        assertThat(out).contains(first.substring(0, 8)).doesNotContain(second.substring(0, 8)).contains("1 snapshots");
        assertThat(cairn("snapshots", "--tag", "weekly", "--json")).isZero();
        assertThat(out).contains(second).doesNotContain(first);
        assertThat(cairn("snapshots", "--latest", "1")).isZero();
        assertThat(out).contains("2 snapshots"); // one per host
        assertThat(cairn("snapshots", "--path", "/nowhere")).isZero();
        assertThat(out).contains("0 snapshots");
        assertThat(cairn("ls", "latest", "--host", "nas1", "/data")).isZero();
        assertThat(out).contains("/data/old.txt");
        assertThat(cairn("ls", "latest", "--host", "nas9")).isEqualTo(1);
        assertOneLineError("no snapshots matching host nas9");
    }

    @Test
    void lsShortLongRecursiveJson() {
        assertThat(cairn("ls", "latest")).isZero();
        assertThat(out.lines()).containsExactly("/data/");
        assertThat(cairn("ls", second, "/data")).isZero();
        assertThat(out.lines()).containsExactly("/data/blob-link.bin", "/data/blob.bin", "/data/docs/",
                "/data/new.txt", "/data/to-readme");
        assertThat(cairn("ls", "latest", "/data", "--long")).isZero();
        assertThat(out).containsPattern("-rw-r--r-- .* 700000 .* /data/blob.bin")
                .contains("/data/to-readme -> docs/readme.txt").containsPattern("drwx.* /data/docs");
        assertThat(cairn("ls", "latest", "/data/docs", "-R", "--json")).isZero();
        assertThat(out.lines()).hasSize(3).allMatch(l -> l.startsWith("{") && l.endsWith("}"));
        assertThat(out).contains("\"path\":\"/data/docs/deep/budget.xlsx\"").contains("\"mode\":\"0600\"");
        assertThat(cairn("ls", "latest", "/data/nothing")).isEqualTo(1);
        assertOneLineError("/data/nothing: not in the snapshot");
        assertThat(cairn("ls", "feedfacecafe")).isEqualTo(1);
        assertOneLineError("no snapshot feedfacecafe");
    }

    @Test
    void findAcrossSnapshots() {
        assertThat(cairn("find", "*.txt")).isZero();
        assertThat(out).contains(first.substring(0, 8) + "  /data/old.txt")
                .contains(second.substring(0, 8) + "  /data/new.txt");
        assertThat(err).contains("4 matches in 2 snapshots");
        assertThat(cairn("find", "/data/docs/**", "--snapshot", "latest", "--json")).isZero();
        assertThat(out.lines()).hasSize(3);
        assertThat(cairn("find", "nothing-like-this")).isEqualTo(1);
    }

    @Test
    void diffNamesEveryKindOfChange() {
        assertThat(cairn("diff", first, second)).isZero();
        assertThat(out.lines()).contains("M  /data/docs/readme.txt", "+  /data/new.txt", "-  /data/old.txt",
                "U  /data/docs/deep/budget.xlsx");
        assertThat(out.lines()).noneMatch(l -> l.contains("blob.bin"));
        assertThat(out).contains("1 added, 1 removed, 1 modified");
        assertThat(cairn("diff", first, second, "--json")).isZero();
        assertThat(out).contains("\"change\":\"modified\"").contains("\"summary\"");
        assertThat(cairn("diff", first, first)).isZero();
        assertThat(out).contains("0 added, 0 removed, 0 modified, 0 metadata");
    }

    @Test
    void statsCountsDedupAndCompression() {
        assertThat(cairn("stats", "--json")).isZero();
        assertThat(out).contains("\"snapshots\" : 2").contains("\"packs\"").contains("\"dedup_ratio\"");
        // blob.bin and its hardlink appear in both snapshots: four times its size restored, stored once.
        assertThat(cairn("stats", "--mode", "restore-size", "latest", "--json")).isZero();
        assertThat(out).contains("\"files\" : 5").doesNotContain("packs");
        assertThat(cairn("stats")).isZero();
        assertThat(out).containsPattern("dedup ratio: +[0-9.]+x");
        String dedup = out.replaceAll("(?s).*dedup ratio: +([0-9.]+)x.*", "$1");
        assertThat(Double.parseDouble(dedup)).isGreaterThan(3.5);
        assertThat(cairn("stats", "--mode", "bogus")).isEqualTo(2);
        assertOneLineError("--mode takes raw, restore-size or repository");
        assertThat(cairn("stats", "--mode", "repository", "--json")).isZero();
        assertThat(out).contains("\"data_objects\"").contains("\"snapshots_objects\" : 2")
                .contains("\"repository_bytes\"");
    }

    @Test
    void catShowsDecryptedObjects() {
        assertThat(cairn("cat", "config")).isZero();
        assertThat(out).contains("\"format\" : \"cairn-repository\"");
        assertThat(cairn("cat", "snapshot", second)).isZero();
        assertThat(out).contains("\"host\" : \"nas2\"");
        assertThat(cairn("cat", "tree", "latest:/data/docs")).isZero();
        assertThat(out).contains("\"name\" : \"readme.txt\"").contains("\"content\"").contains("\"subtree\"");
        String indexId = tmp.resolve("repo/index").toFile().list()[0];
        assertThat(cairn("cat", "index", indexId.substring(0, 6))).isZero();
        assertThat(out).contains("\"raw_length\"").contains("\"pack\"");
        String pack = firstPack();
        assertThat(cairn("cat", "pack-header", pack)).isZero();
        assertThat(out).contains("\"blobs\"").contains("\"offset\"");
        assertThat(cairn("cat", "key", "x")).isEqualTo(2);
        assertOneLineError("cat takes config, snapshot, tree, index or pack-header");
        assertThat(cairn("cat", "index", "zz")).isEqualTo(2);
        assertThat(cairn("cat", "pack-header", "0000000000000000")).isEqualTo(1);
        assertOneLineError("no pack 0000000000000000");
    }

    String firstPack() {
        try (Stream<Path> s = Files.walk(tmp.resolve("repo/data"))) {
            return s.filter(Files::isRegularFile).findFirst().orElseThrow().getFileName().toString();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void dumpWritesAFileOrATarThatTarReads() throws Exception {
        assertThat(cairn("dump", "latest", "/data/blob.bin")).isZero();
        assertThat(rawOut).isEqualTo(Files.readAllBytes(src.resolve("blob.bin")));
        assertThat(cairn("dump", "latest", "/data")).isZero();
        Path tar = tmp.resolve("data.tar");
        Files.write(tar, rawOut);
        Path x = Files.createDirectories(tmp.resolve("x"));
        Process p = new ProcessBuilder("tar", "-xf", tar.toString(), "-C", x.toString()).redirectErrorStream(true)
                .start();
        String tarOut = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(tarOut).isZero();
        assertThat(x.resolve("data/blob.bin")).hasSameBinaryContentAs(src.resolve("blob.bin"));
        assertThat(x.resolve("data/docs/readme.txt")).hasSameTextualContentAs(src.resolve("docs/readme.txt"));
        assertThat(Files.readSymbolicLink(x.resolve("data/to-readme"))).isEqualTo(Path.of("docs/readme.txt"));
        assertThat(Files.getAttribute(x.resolve("data/blob-link.bin"), "unix:ino"))
                .isEqualTo(Files.getAttribute(x.resolve("data/blob.bin"), "unix:ino"));
        assertThat(Files.getAttribute(x.resolve("data/docs/deep/budget.xlsx"), "unix:mode")).isEqualTo(0100600);
        assertThat(Files.getLastModifiedTime(x.resolve("data/new.txt")).toMillis() / 1000)
                .isEqualTo(Files.getLastModifiedTime(src.resolve("new.txt")).toMillis() / 1000);
        assertThat(cairn("dump", "latest", "/data/missing")).isEqualTo(1);
        assertOneLineError("/data/missing: not in the snapshot");
    }

    @Test
    void restoreOptionsFromTheCommandLine() throws IOException {
        Path t = tmp.resolve("t");
        assertThat(cairn("restore", "latest:/data/docs", "--target", t.toString(), "--verify")).isZero();
        assertThat(t.resolve("readme.txt")).hasContent("changed");
        assertThat(out).contains("2 files written").contains("2 verified");
        Files.writeString(t.resolve("stray"), "x");
        assertThat(cairn("restore", "latest:/data/docs", "--target", t.toString(), "--delete", "--dry-run", "-v"))
                .isZero();
        assertThat(out).contains("would delete " + t.resolve("stray")).contains("would keep");
        assertThat(t.resolve("stray")).exists();
        assertThat(cairn("restore", "latest:/data/docs", "--target", t.toString(), "--delete", "--json")).isZero();
        assertThat(out).contains("\"deleted\" : 1").contains("\"files_unchanged\" : 2");
        assertThat(t.resolve("stray")).doesNotExist();

        Path u = tmp.resolve("u");
        assertThat(cairn("restore", first, "--target", u.toString(), "--include", "*.txt", "--exclude", "old.txt"))
                .isZero();
        try (Stream<Path> s = Files.walk(u)) {
            assertThat(s.filter(Files::isRegularFile).map(p -> u.relativize(p).toString()))
                    .containsExactly("data/docs/readme.txt");
        }
        assertThat(Files.getLastModifiedTime(u.resolve("data/docs/readme.txt")))
                .isNotEqualTo(FileTime.fromMillis(0));

        assertThat(cairn("restore", "latest:/data/blob.bin", "--target", u.toString())).isEqualTo(2);
        assertOneLineError("is a file, not a directory");
        assertThat(cairn("restore", "latest", "--target", u.toString(), "--overwrite", "maybe")).isEqualTo(2);
        assertOneLineError("--overwrite takes always, if-changed, if-newer or never");
        assertThat(cairn("restore", "latest", "--target", u.toString(), "--include", "[")).isEqualTo(2);
        assertOneLineError("not a valid glob");
        Path file = tmp.resolve("plain-file");
        Files.writeString(file, "x");
        assertThat(cairn("restore", "latest", "--target", file.resolve("sub").toString())).isEqualTo(1);
        assertThat(err.strip()).startsWith("cairn: ").doesNotContain("\n");
    }
}
