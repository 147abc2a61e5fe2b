package dev.cairn.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/cairn daemon} as a container runs it: a scheduled backup, SIGTERM in the middle of it, then check. */
class DaemonIT {
    @TempDir
    Path tmp;

    Process start(Map<String, String> env, Path out, String... args) throws Exception {
        Path launcher = Path.of("..", "bin", "cairn").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(launcher.toString())));
        pb.command().addAll(List.of(args));
        pb.environment().remove("CAIRN_REPOSITORY");
        pb.environment().remove("CAIRN_PASSWORD");
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true).redirectOutput(out.toFile());
        return pb.start();
    }

    static String get(int port, String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void sigtermDuringABackupStopsCleanlyAndTheRepositoryChecksOut() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("data"));
        Random r = new Random(9);
        for (int i = 0; i < 8; i++) {
            byte[] b = new byte[8 << 20];
            r.nextBytes(b);
            Files.write(src.resolve("f" + i), b);
        }
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "daemon\n");
        Map<String, String> env = Map.of("CAIRN_CACHE_DIR", tmp.resolve("cache").toString(),
                "CAIRN_PASSWORD_FILE", pw.toString(), "CAIRN_REPOSITORY", tmp.resolve("repo").toString());
        Process init = start(env, tmp.resolve("init.txt"), "init", "--kdf-cost", "1024");
        assertThat(init.waitFor()).isZero();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path cfg = tmp.resolve("cairn.yaml");
        Files.writeString(cfg, "repository: " + tmp.resolve("repo") + "\npassword-file: " + pw + "\nhttp: {address:"
                + " 127.0.0.1, port: " + port + "}\nlimits: {read-mb-per-s: 4}\nstop-grace: 60s\njobs:\n"
                + "  - {name: nightly, type: backup, schedule: '@every 1s', sources: [" + src + "]}\n");
        Path log = tmp.resolve("daemon.txt");
        Process daemon = start(env, log, "daemon", "--config", cfg.toString(), "--log-format", "json");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!get(port, "/status").contains("\"running\" : \"nightly\"") && System.nanoTime() < deadline) {
            assertThat(daemon.isAlive()).as(Files.readString(log)).isTrue();
            Thread.sleep(100);
        }
        assertThat(get(port, "/healthz")).isEqualTo("ok\n");
        assertThat(get(port, "/metrics")).contains("cairn_daemon_up 1");
        Thread.sleep(1000); // well inside the backup: 64 MiB at 4 MB/s
        daemon.destroy(); // SIGTERM
        assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        String text = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(daemon.exitValue()).as(text).isZero();
        assertThat(text).contains("\"msg\":\"stopping: interrupting the run in progress\"").contains("\"msg\":\"stopped\"");
        try (var locks = Files.list(tmp.resolve("repo/locks"))) {
            assertThat(locks.toList()).as("locks released").isEmpty();
        }
        Process check = start(env, tmp.resolve("check.txt"), "check");
        assertThat(check.waitFor()).as(Files.readString(tmp.resolve("check.txt"))).isZero();
    }
}
