package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cairn command line, run in-process as a user would type it. */
class CliTest {
    @TempDir
    Path tmp;

    Map<String, String> env = new HashMap<>();
    String out;
    String err;

    @BeforeEach
    void setUp() {
        env.put("CAIRN_REPOSITORY", tmp.resolve("repo").toString());
        env.put("CAIRN_PASSWORD", "correct horse");
        env.put("CAIRN_CACHE_DIR", tmp.resolve("cache").toString());
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

    void assertOneLineError(String contains) {
        assertThat(err.strip()).startsWith("cairn: ").contains(contains).doesNotContain("\n").doesNotContain("\tat ");
    }

    Path sourceTree() throws IOException {
        Path src = tmp.resolve("data");
        Files.createDirectories(src.resolve("docs"));
        Files.writeString(src.resolve("docs/readme.txt"), "read me\n".repeat(100));
        byte[] b = new byte[1_000_000];
        new Random(5).nextBytes(b);
        Files.write(src.resolve("blob.bin"), b);
        return src;
    }

    @Test
    void onlyTheNamedSubcommandIsBuiltButHelpListsThemAll() throws IOException {
        assertThat(Cairn.subcommandsNamedIn(new String[] {"--repo", "/r", "backup", "/data", "/data"}))
                .containsExactly(BackupCommand.class);
        // An option value that is a command's name only adds that command.
        assertThat(Cairn.subcommandsNamedIn(new String[] {"--repo", "check", "restore", "latest"}))
                .containsExactly(RestoreCommand.class, CheckCommand.class);
        assertThat(Cairn.subcommandsNamedIn(new String[] {"--help"})).isEqualTo(RootCommand.SUBCOMMANDS);
        assertThat(cairn("--help")).isZero();
        for (String name : List.of("init", "key", "backup", "restore", "snapshots", "ls", "find", "diff", "stats",
                "cat", "dump", "forget", "prune", "check", "daemon", "catalog", "debug")) {
            assertThat(out).containsPattern("(?m)^  " + name + " ");
        }
        assertThat(cairn("bakup")).isEqualTo(2);
        assertOneLineError("'bakup'");
    }

    @Test
    void initBackupSnapshotsRestore() throws IOException {
        assertThat(cairn("init", "--kdf-cost", "1024")).isZero();
        assertThat(out).contains("created repository");
        Path src = sourceTree();
        assertThat(cairn("backup", src.toString(), "--tag", "t1", "--json")).isZero();
        assertThat(out).contains("\"files_new\" : 2").contains("\"snapshot_id\"").contains("\"data_added\"")
                .contains("\"total_bytes\"").contains("\"dirs_unmodified\"");
        assertThat(cairn("backup", src.toString())).isZero();
        assertThat(out).contains("2 unmodified");
        assertThat(cairn("snapshots")).isZero();
        assertThat(out).contains("2 snapshots").contains("t1");
        env.remove("CAIRN_REPOSITORY");
        assertThat(cairn("-r", tmp.resolve("repo").toString(), "snapshots")).isZero();
        assertThat(out).contains("2 snapshots");
        assertThat(cairn("snapshots", "--repo", tmp.resolve("repo").toString(), "--json")).isZero();
        assertThat(out).contains("\"paths\"");
        env.put("CAIRN_REPOSITORY", tmp.resolve("repo").toString());
        Path target = tmp.resolve("restored");
        assertThat(cairn("restore", "latest", "--target", target.toString())).isZero();
        assertThat(target.resolve("data/blob.bin")).hasSameBinaryContentAs(src.resolve("blob.bin"));
        assertThat(target.resolve("data/docs/readme.txt")).hasSameTextualContentAs(src.resolve("docs/readme.txt"));

        // A machine that never ran a backup: no catalog; it is rebuilt from the repository.
        env.put("CAIRN_CACHE_DIR", tmp.resolve("other-machine-cache").toString());
        Path elsewhere = tmp.resolve("restored-elsewhere");
        assertThat(cairn("restore", "latest", "--target", elsewhere.toString())).isZero();
        assertThat(elsewhere.resolve("data/blob.bin")).hasSameBinaryContentAs(src.resolve("blob.bin"));
        assertThat(cairn("check")).isZero();
        assertThat(out).contains("no errors");
    }

    @Test
    void aCatalogInUseIsNamedAsSuch() throws IOException {
        assertThat(cairn("init", "--kdf-cost", "1024")).isZero();
        Path src = sourceTree();
        assertThat(cairn("backup", src.toString())).isZero();
        String id;
        try (var dirs = Files.list(tmp.resolve("cache"))) {
            id = dirs.findFirst().orElseThrow().getFileName().toString();
        }
        try (dev.cairn.catalog.Catalog held = dev.cairn.catalog.Catalog.open(tmp.resolve("cache").resolve(id)
                .resolve("catalog"), id)) {
            assertThat(cairn("backup", src.toString())).isEqualTo(1);
            assertOneLineError("is in use by another cairn process");
        }
    }

    @Test
    void passphraseSources() throws IOException {
        assertThat(cairn("init", "--kdf-cost", "1024")).isZero();
        env.remove("CAIRN_PASSWORD");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "correct horse\n");
        assertThat(cairn("key", "list", "--password-file", pw.toString())).isZero();
        env.put("CAIRN_PASSWORD_FILE", pw.toString());
        assertThat(cairn("key", "list")).isZero();
        env.remove("CAIRN_PASSWORD_FILE");
        env.put("CAIRN_PASSWORD_COMMAND", "echo 'correct horse'");
        assertThat(cairn("key", "list")).isZero();
        env.put("CAIRN_PASSWORD_COMMAND", "exit 4");
        assertThat(cairn("key", "list")).isEqualTo(1);
        assertOneLineError("password command exited with 4");
        env.remove("CAIRN_PASSWORD_COMMAND");
        assertThat(cairn("key", "list")).isEqualTo(1);
        assertOneLineError("no passphrase");
    }

    @Test
    void keysAddListRemovePasswd() throws IOException {
        assertThat(cairn("init", "--kdf-cost", "1024")).isZero();
        env.put("CAIRN_NEW_PASSWORD", "second");
        assertThat(cairn("key", "add", "--kdf-cost", "1024")).isZero();
        String added = out.strip().substring("added key ".length());
        assertThat(cairn("key", "list")).isZero();
        assertThat(out.lines().filter(l -> l.startsWith("*"))).hasSize(1);
        assertThat(out.lines().count()).isEqualTo(3);
        env.put("CAIRN_PASSWORD", "second");
        assertThat(cairn("key", "remove", added)).isEqualTo(1);
        assertOneLineError("is the one in use");
        env.put("CAIRN_NEW_PASSWORD", "third");
        assertThat(cairn("key", "passwd", "--kdf-cost", "1024")).isZero();
        env.put("CAIRN_PASSWORD", "third");
        assertThat(cairn("key", "list", "--json")).isZero();
        assertThat(out).contains("\"current\" : true");
        env.put("CAIRN_PASSWORD", "second");
        assertThat(cairn("key", "list")).isEqualTo(1);
        assertOneLineError("wrong passphrase");
    }

    @Test
    void debugChunkPrintsCutPoints() throws IOException {
        Path img = tmp.resolve("img.jpg");
        try (var in = CliTest.class.getResourceAsStream("/SekienAkashita.jpg")) {
            Files.copy(in, img);
        }
        assertThat(cairn("debug", "chunk", img.toString(), "--min", "4096", "--avg", "16384", "--max", "65535"))
                .isZero();
        assertThat(out.lines()).containsExactly("0 21325", "21325 17140", "38465 28084", "66549 18217", "84766 24700");
        assertThat(cairn("debug", "chunk", img.toString(), "--min", "8192", "--avg", "32768", "--max", "131072",
                "--json")).isZero();
        assertThat(out).contains("\"chunks\" : 2").contains("\"length\" : 66549").contains("\"length\" : 42917");
        assertThat(cairn("debug", "chunk", img.toString(), "--min", "10", "--avg", "16384", "--max", "65535"))
                .isEqualTo(2);
        assertOneLineError("min size 10");
    }

    @Test
    void unencryptedRepositoriesSaySo() throws IOException {
        env.remove("CAIRN_PASSWORD");
        assertThat(cairn("init", "--insecure-no-encryption")).isZero();
        assertThat(err).contains("WARNING").contains("plain form");
        assertThat(out).contains("UNENCRYPTED");
        Path src = sourceTree();
        assertThat(cairn("backup", src.toString())).isZero();
        assertThat(cairn("restore", "latest", "--target", tmp.resolve("r").toString())).isZero();
        assertThat(tmp.resolve("r/data/blob.bin")).hasSameBinaryContentAs(src.resolve("blob.bin"));
    }

    @Test
    void badInputGetsOneLineAndANonZeroExit() throws IOException {
        assertThat(cairn("snapshots")).isEqualTo(1);
        assertOneLineError("no cairn repository at");

        assertThat(cairn("init", "--kdf-cost", "1024")).isZero();
        assertThat(cairn("init", "--kdf-cost", "1024")).isEqualTo(1);
        assertOneLineError("holds a repository already");

        assertThat(cairn("snapshots", "--no-such-flag")).isEqualTo(2);
        assertOneLineError("--no-such-flag");

        assertThat(cairn("frobnicate")).isEqualTo(2);
        assertOneLineError("frobnicate");

        env.put("CAIRN_PASSWORD", "wrong");
        assertThat(cairn("snapshots")).isEqualTo(1);
        assertOneLineError("wrong passphrase");
        env.put("CAIRN_PASSWORD", "correct horse");

        assertThat(cairn("backup", tmp.resolve("missing").toString())).isEqualTo(1);
        assertOneLineError("missing");

        assertThat(cairn("backup", sourceTree().toString(), "--time", "yesterday")).isEqualTo(2);
        assertOneLineError("--time 'yesterday'");

        assertThat(cairn("restore", "deadbeef", "--target", tmp.resolve("x").toString())).isEqualTo(1);
        assertOneLineError("no snapshot deadbeef");

        assertThat(cairn("restore", "latest", "--target", tmp.resolve("x").toString())).isEqualTo(1);
        assertOneLineError("no snapshots");

        env.remove("CAIRN_REPOSITORY");
        assertThat(cairn("snapshots")).isEqualTo(2);
        assertOneLineError("no repository given");

        Path notRepo = tmp.resolve("not-a-repo");
        Files.createDirectories(notRepo);
        Files.writeString(notRepo.resolve("config"), "{\"format\":\"something-else\"}");
        assertThat(cairn("snapshots", "--repo", notRepo.toString())).isEqualTo(1);
        assertOneLineError("is not a cairn repository");
        Files.write(notRepo.resolve("config"), new byte[] {0x13, 0x7f, 0x00, 0x42});
        assertThat(cairn("snapshots", "--repo", notRepo.toString())).isEqualTo(1);
        assertOneLineError("is not a cairn repository");

        Path config = tmp.resolve("repo/config");
        String good = Files.readString(config);
        Files.writeString(config, good.substring(0, good.length() / 2));
        assertThat(cairn("snapshots", "--repo", tmp.resolve("repo").toString())).isEqualTo(1);
        assertOneLineError("config is corrupted");
        Files.writeString(config, good.replace("\"version\" : 1", "\"version\" : 9"));
        assertThat(cairn("snapshots", "--repo", tmp.resolve("repo").toString())).isEqualTo(1);
        assertOneLineError("newer than this cairn reads");
    }

    @Test
    void corruptedPackIsReportedNotRestored() throws IOException {
        assertThat(cairn("init", "--kdf-cost", "1024")).isZero();
        Path src = sourceTree();
        assertThat(cairn("backup", src.toString())).isZero();
        Path data = tmp.resolve("repo/data");
        try (var packs = Files.walk(data)) {
            for (Path p : packs.filter(Files::isRegularFile).toList()) {
                byte[] b = Files.readAllBytes(p);
                b[b.length / 3] ^= 0x40;
                Files.write(p, b);
            }
        }
        Path target = tmp.resolve("restored");
        assertThat(cairn("restore", "latest", "--target", target.toString())).isEqualTo(1);
        assertOneLineError("is corrupted");
        assertThat(target.resolve("data/blob.bin")).doesNotExist();
    }
}
