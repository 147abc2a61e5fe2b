package dev.cairn.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.cli.Cairn;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's scheduling, retries, catch-up, metrics and status, with a stand-in for the command line. */
class DaemonTest {
    @TempDir
    Path tmp;

    final List<String> log = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger concurrent = new AtomicInteger();
    final AtomicInteger maxConcurrent = new AtomicInteger();
    final AtomicInteger sizeListings = new AtomicInteger();

    DaemonConfig config(String yaml) throws IOException {
        Path f = tmp.resolve("cairn.yaml");
        Files.writeString(f, yaml);
        return DaemonConfig.load(f, Map.of("TZ", "UTC"));
    }

    String base() {
        return "repository: " + tmp.resolve("repo") + "\ncache-dir: " + tmp.resolve("cache") + "\nhttp:\n  port: 0\n"
                + "  address: 127.0.0.1\n";
    }

    /** A stand-in run: records its arguments, takes 150 ms, and fails when told to. */
    Daemon.CommandRunner runner(Map<String, Integer> failFirst) {
        return (args, env, out, err) -> {
            if (args[0].equals("stats")) {
                sizeListings.incrementAndGet();
                out.println("{\"repository_bytes\":123456}");
                return 0;
            }
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            log.add(String.join(" ", args));
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                concurrent.decrementAndGet();
            }
            Integer left = failFirst.get(args[0]);
            if (left != null && left > 0) {
                failFirst.put(args[0], left - 1);
                err.println("cairn: connection refused");
                return 1;
            }
            if (args[0].equals("backup")) {
                out.println("{\"snapshot_id\":\"ab\",\"total_files\":12,\"total_bytes\":1000,\"bytes_read\":400,"
                        + "\"data_added\":250}");
            }
            return 0;
        };
    }

    static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    @Test
    void jobsRunOnScheduleOneAtATimeAndReportOnHttp() throws Exception {
        DaemonConfig c = config(base() + """
                jobs:
                  - name: nightly
                    type: backup
                    schedule: "@every 1s"
                    sources: [/srv/data]
                    excludes: ["*.tmp"]
                    tags: [nightly]
                  - name: retention
                    type: forget
                    schedule: "@every 1s"
                    keep: {daily: 7, weekly: 4}
                    prune: true
                limits:
                  threads: 2
                  read-mb-per-s: 50
                  upload-mb-per-s: 20
                """);
        try (Daemon d = new Daemon(c, Map.of("TZ", "UTC"), Clock.systemUTC(), runner(new HashMap<>()),
                new DaemonLog(System.err, true, Clock.systemUTC()))) {
            d.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (log.stream().filter(l -> l.startsWith("forget")).count() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            String metrics = get(d.port(), "/metrics");
            assertThat(metrics).startsWith("200 ")
                    .contains("cairn_job_runs_total{job=\"nightly\",status=\"ok\"}")
                    .contains("cairn_backup_files{job=\"nightly\"} 12")
                    .contains("cairn_backup_added_bytes{job=\"nightly\"} 250")
                    .contains("cairn_backup_dedup_ratio{job=\"nightly\"} 4")
                    .contains("cairn_job_last_run_success{job=\"retention\"} 1")
                    .contains("cairn_job_next_run_timestamp_seconds{job=\"nightly\"}")
                    .contains("cairn_repository_size_bytes 123456");
            assertThat(get(d.port(), "/healthz")).isEqualTo("200 ok\n");
            assertThat(get(d.port(), "/status")).contains("\"name\" : \"nightly\"").contains("\"next_run\"")
                    .contains("\"status\" : \"ok\"");
            assertThat(d.stop()).isTrue();
        }
        assertThat(maxConcurrent.get()).as("runs never overlap").isEqualTo(1);
        long backups = log.stream().filter(l -> l.startsWith("backup")).count();
        long forgets = log.stream().filter(l -> l.startsWith("forget")).count();
        assertThat(backups).isGreaterThanOrEqualTo(2);
        assertThat((long) sizeListings.get()).as("after each forget, after backups at most hourly")
                .isBetween(forgets - 1, forgets + 1);
        assertThat(log).contains("backup /srv/data --exclude *.tmp --tag nightly --threads 2 --read-limit 50.0 --json"
                + " --upload-limit 20.0", "forget --keep-daily 7 --keep-weekly 4 --prune --json --upload-limit 20.0");
    }

    static String post(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void runRequestsQueueOneExtraRunEachAndLeaveTheScheduleAlone() throws Exception {
        DaemonConfig c = config(base() + """
                  run-requests: true
                jobs:
                  - {name: nightly, type: backup, schedule: "0 2 * * *", sources: [/srv/data]}
                  - {name: weekly, type: check, schedule: "0 3 * * 0"}
                """);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Daemon.CommandRunner standIn = runner(new HashMap<>());
        Daemon.CommandRunner held = (args, env, out, err) -> {
            if (args[0].equals("backup") && !log.contains("held")) {
                log.add("held");
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return standIn.run(args, env, out, err);
        };
        try (Daemon d = new Daemon(c, Map.of("TZ", "UTC"), Clock.systemUTC(), held,
                new DaemonLog(System.err, false, Clock.systemUTC()))) {
            d.start();
            Object scheduled = ((Map<?, ?>) ((List<?>) d.status().get("jobs")).get(0)).get("next_run");
            assertThat(post(d.port(), "/jobs/nightly/run")).startsWith("202 ").contains("queued");
            await(() -> log.contains("held"));
            // Asked twice more while the first run is under way: one more run, not two.
            assertThat(post(d.port(), "/jobs/nightly/run")).startsWith("202 ");
            assertThat(post(d.port(), "/jobs/nightly/run")).startsWith("202 ");
            assertThat(get(d.port(), "/status")).contains("\"requested\" : [ \"nightly\" ]");
            release.countDown();
            await(() -> log.stream().filter(l -> l.startsWith("backup")).count() == 2);
            await(() -> d.status().get("running") == null);
            Thread.sleep(300);
            assertThat(log.stream().filter(l -> l.startsWith("backup"))).hasSize(2);
            assertThat(log).noneMatch(l -> l.startsWith("check"));
            Map<?, ?> job = (Map<?, ?>) ((List<?>) d.status().get("jobs")).get(0);
            assertThat(job.get("next_run")).as("the schedule is untouched").isEqualTo(scheduled);
            assertThat(((Map<?, ?>) job.get("last_run")).get("status")).isEqualTo("ok");

            assertThat(post(d.port(), "/jobs/nope/run")).startsWith("404 ").contains("no job named 'nope'");
            assertThat(get(d.port(), "/jobs/nightly/run")).startsWith("405 ");
            assertThat(post(d.port(), "/jobs/nightly")).startsWith("404 ");
        }
    }

    @Test
    void runRequestsAreRefusedUnlessTheConfigTurnsThemOn() throws Exception {
        DaemonConfig c = config(base() + """
                jobs:
                  - {name: nightly, type: backup, schedule: "0 2 * * *", sources: [/srv/data]}
                """);
        try (Daemon d = new Daemon(c, Map.of("TZ", "UTC"), Clock.systemUTC(), runner(new HashMap<>()),
                new DaemonLog(System.err, false, Clock.systemUTC()))) {
            d.start();
            assertThat(post(d.port(), "/jobs/nightly/run")).startsWith("403 ").contains("run-requests: true");
            Thread.sleep(200);
            assertThat(log).isEmpty();
        }
    }

    @Test
    void failedRunsAreRetriedWithBackoffThenReported() throws Exception {
        DaemonConfig c = config(base() + """
                jobs:
                  - {name: flaky, type: check, schedule: "@daily", retries: 3, retry-delay: 10ms}
                  - {name: broken, type: backup, schedule: "@daily", retries: 1, retry-delay: 10ms, sources: [/x]}
                """);
        Map<String, Integer> fail = new HashMap<>(Map.of("check", 2, "backup", 99));
        try (Daemon d = new Daemon(c, Map.of(), Clock.systemUTC(), runner(fail),
                new DaemonLog(System.err, false, Clock.systemUTC()))) {
            Daemon.RunResult ok = d.runNow("flaky");
            assertThat(ok.exitCode()).isZero();
            assertThat(ok.attempts()).isEqualTo(3);
            Daemon.RunResult bad = d.runNow("broken");
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.attempts()).isEqualTo(2);
            assertThat(bad.message()).isEqualTo("cairn: connection refused");
            assertThat(d.status().toString()).contains("status=failed");
            assertThatThrownBy(() -> d.runNow("nope")).hasMessageContaining("no job named 'nope'");
        }
    }

    @Test
    void aRunMissedWhileDownIsCaughtUpOnceWhenTheJobSaysSo() throws Exception {
        DaemonConfig c = config(base() + """
                jobs:
                  - {name: eager, type: check, schedule: "@daily", catch-up: true}
                  - {name: lazy, type: backup, schedule: "@daily", sources: [/x]}
                """);
        Files.createDirectories(tmp.resolve("cache"));
        String longAgo = Instant.now().minus(Duration.ofDays(3)).toString();
        Files.writeString(tmp.resolve("cache/daemon-state.json"), "{\"eager\":{\"last_run\":\"" + longAgo
                + "\"},\"lazy\":{\"last_run\":\"" + longAgo + "\"}}");
        try (Daemon d = new Daemon(c, Map.of(), Clock.systemUTC(), runner(new HashMap<>()),
                new DaemonLog(System.err, false, Clock.systemUTC()))) {
            d.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (log.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            Thread.sleep(400);
            assertThat(log).containsExactly("check");
        }
        assertThat(Files.readString(tmp.resolve("cache/daemon-state.json"))).contains("eager").doesNotContain(longAgo
                + "\"},\"eager");
    }

    @Test
    void onceRunsARealBackupThroughTheCommandLine() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "scheduled");
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "daemon pass\n");
        Map<String, String> env = new HashMap<>(Map.of("CAIRN_CACHE_DIR", tmp.resolve("cache").toString()));
        assertThat(Cairn.run(new String[] {"init", "--kdf-cost", "1024", "--repo", tmp.resolve("repo").toString(),
            "--password-file", pw.toString()}, env, System.in, System.out, System.err)).isZero();
        Path cfg = tmp.resolve("cairn.yaml");
        Files.writeString(cfg, base() + "password-file: " + pw + "\njobs:\n  - {name: nightly, type: backup,"
                + " schedule: \"30 2 * * *\", sources: [" + src + "]}\n");
        assertThat(Cairn.run(new String[] {"daemon", "--config", cfg.toString(), "--once", "nightly"}, env,
                System.in, System.out, System.err)).isZero();
        assertThat(Cairn.run(new String[] {"snapshots", "--repo", tmp.resolve("repo").toString(), "--password-file",
            pw.toString()}, env, System.in, System.out, System.err)).isZero();
        try (var s = Files.list(tmp.resolve("repo/snapshots"))) {
            assertThat(s.count()).isEqualTo(1);
        }
    }
}
