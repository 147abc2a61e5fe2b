package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.store.s3.S3TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a real S3 server (S3Proxy on loopback): init, backup, incremental backup, restore;
 * then the node's catalog and cache are deleted and everything is restored from the bucket alone.
 */
class S3EndToEndTest {
    @TempDir
    Path tmp;

    S3TestServer server;
    Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void start() throws Exception {
        server = new S3TestServer(tmp.resolve("s3"));
        server.createBucket("backups");
        env.putAll(server.env());
        env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
        env.put("CAIRN_S3_PATH_STYLE", "true");
        env.put("CAIRN_REPOSITORY", "s3://backups/nas1/projects");
        env.put("CAIRN_PASSWORD", "offsite");
        env.put("CAIRN_CACHE_DIR", tmp.resolve("cache").toString());
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    int cairn(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Cairn.run(args, env, new ByteArrayInputStream(new byte[0]),
                new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    static void assertSameTree(Path a, Path b) throws IOException {
        List<String> fa;
        List<String> fb;
        try (Stream<Path> s = Files.walk(a); Stream<Path> t = Files.walk(b)) {
            fa = s.map(p -> a.relativize(p).toString()).sorted().toList();
            fb = t.map(p -> b.relativize(p).toString()).sorted().toList();
        }
        assertThat(fb).isEqualTo(fa);
        for (String f : fa) {
            if (Files.isRegularFile(a.resolve(f))) {
                assertThat(b.resolve(f)).hasSameBinaryContentAs(a.resolve(f));
                assertThat(Files.getLastModifiedTime(b.resolve(f))).isEqualTo(Files.getLastModifiedTime(a.resolve(f)));
            }
        }
    }

    @Test
    void backupIncrementalRestoreAndDisasterRecoveryFromTheBucketAlone() throws Exception {
        Path src = tmp.resolve("projects");
        Random r = new Random(8);
        for (int d = 0; d < 4; d++) {
            Path dir = Files.createDirectories(src.resolve("p" + d));
            for (int f = 0; f < 5; f++) {
                byte[] b = new byte[r.nextInt(400_000)];
                r.nextBytes(b);
                Files.write(dir.resolve("f" + f), b);
            }
        }
        assertThat(cairn("init", "--kdf-cost", "1024")).as(err).isZero();
        assertThat(out).contains("at s3://backups/nas1/projects");
        assertThat(cairn("backup", src.toString(), "--json")).as(err).isZero();
        assertThat(out).contains("\"files_new\" : 20");
        Files.writeString(src.resolve("p1/f2"), "edited");
        Files.delete(src.resolve("p3/f0"));
        assertThat(cairn("backup", src.toString(), "--json")).as(err).isZero();
        assertThat(out).contains("\"files_changed\" : 1").contains("\"files_unmodified\" : 18");

        assertThat(cairn("restore", "latest", "--target", tmp.resolve("r1").toString(), "--verify")).as(err).isZero();
        assertSameTree(src, tmp.resolve("r1/projects"));
        assertThat(cairn("check")).as(err).isZero();

        // The node is gone: no catalog, no cache. The bucket and the passphrase are all there is.
        deleteTree(tmp.resolve("cache"));
        env.put("CAIRN_CACHE_DIR", tmp.resolve("new-node-cache").toString());
        assertThat(cairn("snapshots")).as(err).isZero();
        assertThat(out).contains("2 snapshots");
        assertThat(cairn("restore", "latest", "--target", tmp.resolve("r2").toString())).as(err).isZero();
        assertSameTree(src, tmp.resolve("r2/projects"));
        assertThat(cairn("ls", "latest", "/projects/p1")).isZero();
        assertThat(out.lines()).hasSize(5);

        // A storage class for content packs; metadata stays readable at once.
        assertThat(cairn("backup", src.toString(), "--force", "--s3-storage-class", "standard_ia")).as(err).isZero();
        assertThat(cairn("backup", src.toString(), "--s3-storage-class", "GLACIER")).isEqualTo(2);
        assertThat(err.strip()).startsWith("cairn: storage class GLACIER is not one cairn can read back")
                .doesNotContain("\n");

        // Retention on S3: forget all but the newest, prune, read everything back, restore.
        Files.writeString(src.resolve("p0/f0"), "changed again");
        assertThat(cairn("backup", src.toString())).as(err).isZero();
        assertThat(cairn("forget", "--keep-last", "1", "--prune", "--json")).as(err).isZero();
        assertThat(out).contains("\"removed\" : 3").contains("\"bytes_after\"");
        String before = out.replaceAll("(?s).*\"bytes_before\" : (\\d+).*", "$1");
        String after = out.replaceAll("(?s).*\"bytes_after\" : (\\d+).*", "$1");
        assertThat(Long.parseLong(after)).isLessThan(Long.parseLong(before));
        assertThat(cairn("check", "--read-data")).as(err).isZero();
        assertThat(cairn("snapshots")).isZero();
        assertThat(out).contains("1 snapshots");
        assertThat(cairn("restore", "latest", "--target", tmp.resolve("r3").toString(), "--verify")).as(err)
                .isZero();
        assertSameTree(src, tmp.resolve("r3/projects"));
    }

    @Test
    void badS3InputIsOneLine() {
        env.put("CAIRN_REPOSITORY", "s3://no-such-bucket/x");
        assertThat(cairn("snapshots")).isEqualTo(1);
        assertThat(err.strip()).startsWith("cairn: ").contains("bucket no-such-bucket does not exist")
                .doesNotContain("\n");
        env.put("CAIRN_REPOSITORY", "s3://backups/empty");
        assertThat(cairn("snapshots")).isEqualTo(1);
        assertThat(err.strip()).startsWith("cairn: ").contains("no cairn repository at s3://backups/empty")
                .doesNotContain("\n");
        env.put("CAIRN_REPOSITORY", "s3:backups");
        assertThat(cairn("snapshots")).isEqualTo(2);
        assertThat(err).contains("is not an S3 location");
        env.put("CAIRN_REPOSITORY", "s3://backups/x");
        env.put("AWS_SECRET_ACCESS_KEY", "wrong");
        assertThat(cairn("snapshots")).isEqualTo(1);
        assertThat(err.strip()).contains("access denied").doesNotContain("\n");
    }

    static void deleteTree(Path p) throws IOException {
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(x);
            }
        }
    }
}
