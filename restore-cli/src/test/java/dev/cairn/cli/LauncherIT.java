package dev.cairn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code bin/cairn} as a separate process, as a user does, after the jars are packaged. */
class LauncherIT {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path launcher = Path.of("..", "bin", "cairn").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(launcher.toString())));
        pb.command().addAll(List.of(args));
        pb.environment().remove("CAIRN_REPOSITORY");
        pb.environment().remove("CAIRN_PASSWORD");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void backupAndRestoreThroughTheLauncher() throws Exception {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("d"));
        Files.writeString(src.resolve("d/f.txt"), "through the launcher\n");
        Map<String, String> env = Map.of("CAIRN_REPOSITORY", tmp.resolve("repo").toString(),
                "CAIRN_PASSWORD", "launcher pass", "CAIRN_CACHE_DIR", tmp.resolve("cache").toString());
        assertThat(run(env, "init", "--kdf-cost", "1024").code()).isZero();
        Run backup = run(env, "backup", src.toString(), "--json");
        assertThat(backup.code()).isZero();
        assertThat(backup.out()).contains("\"files_new\" : 1");
        assertThat(run(env, "restore", "latest", "--target", tmp.resolve("r").toString()).code()).isZero();
        assertThat(tmp.resolve("r/src/d/f.txt")).hasContent("through the launcher");
        Run ls = run(env, "ls", "latest", "/src", "--recursive");
        assertThat(ls.code()).isZero();
        assertThat(ls.out()).contains("/src/d/f.txt");
        Run dump = run(env, "dump", "latest", "/src/d/f.txt");
        assertThat(dump.out()).isEqualTo("through the launcher\n");

        Run wrong = run(Map.of("CAIRN_REPOSITORY", tmp.resolve("repo").toString(), "CAIRN_PASSWORD", "nope",
                "CAIRN_CACHE_DIR", tmp.resolve("cache").toString()), "snapshots");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err().strip()).startsWith("cairn: wrong passphrase").doesNotContain("\n");

        Run badFlag = run(env, "backup", src.toString(), "--bogus");
        assertThat(badFlag.code()).isEqualTo(2);
        assertThat(badFlag.err().strip()).contains("--bogus").doesNotContain("\n");
    }

    @Test
    void classesComeFromTheClassDataArchiveTheLauncherMade() throws Exception {
        assertThat(run(Map.of(), "--version").out()).startsWith("cairn ");
        try (var archives = Files.list(Path.of("target"))) {
            assertThat(archives.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa"))).hasSize(1);
        }
        Path log = tmp.resolve("classes.log");
        Run logged = run(Map.of("CAIRN_JAVA_OPTS", "-Xlog:class+load=info:file=" + log), "--version");
        assertThat(logged.err()).isEmpty();
        assertThat(Files.readAllLines(log)).anySatisfy(line ->
                assertThat(line).contains("dev.cairn.cli.Cairn ").contains("shared objects file (top)"));

        Run without = run(Map.of("CAIRN_CLASS_DATA", "off", "CAIRN_JAVA_OPTS", "-Xlog:class+load=info:file=" + log),
                "--version");
        assertThat(without.out()).startsWith("cairn ");
        assertThat(Files.readAllLines(log)).anySatisfy(line ->
                assertThat(line).contains("dev.cairn.cli.Cairn ").contains("source: file:"));
    }
}
