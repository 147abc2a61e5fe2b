package dev.cairn.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cairn.schedule.Schedule;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs the configured jobs on their schedules, one at a time (they share the repository), and reports on HTTP.
 *
 * <p>Each run is the command line's own code, run in this process with the arguments the job's settings give. A
 * run that fails (exit 1) is retried after {@code retry-delay} (doubling each time) up to {@code retries} times,
 * then reported as failed; exit 3 (finished with warnings) counts as done. The last run of each job is kept in
 * {@code daemon-state.json} in the cache directory, so a job with {@code catch-up: true} whose run was missed while
 * the daemon was down runs once at start.
 *
 * <p>{@link #stop} stops starting work, interrupts the run in progress and waits up to the grace period for it to
 * end (a backup interrupted at any point leaves the repository valid; its lock is released as it unwinds).
 */
public final class Daemon implements AutoCloseable {
    /** Runs one command line; the production one is {@code Cairn.run}. */
    @FunctionalInterface
    public interface CommandRunner {
        int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err);
    }

    /** The outcome of a job's last run. */
    public record RunResult(String job, Instant start, Instant end, int exitCode, int attempts, String message,
            JsonNode summary) {
        public String status() {
            return exitCode == 0 ? "ok" : exitCode == 3 ? "warnings" : "failed";
        }
    }

    /** After backups, the repository is listed for its size gauge at most this often (see measureDue). */
    static final Duration MEASURE_EVERY = Duration.ofHours(1);

    private final DaemonConfig config;
    private final Map<String, String> env;
    private final Clock clock;
    private final CommandRunner runner;
    private final DaemonLog log;
    private final ZoneId zone;
    private final Path stateFile;
    private final Map<String, Schedule> schedules = new LinkedHashMap<>();
    private final Map<String, Instant> next = new HashMap<>();
    private final Map<String, Instant> lastRun = new HashMap<>();
    private final Map<String, RunResult> results = new HashMap<>();
    /** Jobs asked for by {@code POST /jobs/NAME/run}, in the order asked; each runs once, before any scheduled run. */
    private final LinkedHashSet<String> requested = new LinkedHashSet<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean stopping;
    private volatile Thread worker;
    private volatile String running;
    private HttpServer http;
    private Thread loop;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Gauge lastRunTime;
    private final Gauge lastSuccess;
    private final Gauge lastDuration;
    private final Gauge filesSeen;
    private final Gauge bytesRead;
    private final Gauge bytesAdded;
    private final Gauge dedupRatio;
    private final Gauge nextRunTime;
    private final Gauge repositorySize;
    /** When the repository was last listed for {@link #repositorySize}; null before the first listing. */
    private volatile Instant measured;
    private final Counter runs;
    private final Counter failures;
    private final Gauge up;

    public Daemon(DaemonConfig config, Map<String, String> env, Clock clock, CommandRunner runner, DaemonLog log) {
        this.config = config;
        this.env = env;
        this.clock = clock;
        this.runner = runner;
        this.log = log;
        this.zone = config.zone(env);
        for (DaemonConfig.Job j : config.jobs()) {
            schedules.put(j.name(), Schedule.parse(j.schedule(), zone));
        }
        Path cache = config.cacheDir() != null ? Path.of(config.cacheDir())
                : env.containsKey("CAIRN_CACHE_DIR") ? Path.of(env.get("CAIRN_CACHE_DIR"))
                : Path.of(env.getOrDefault("HOME", "/tmp"), ".cache", "cairn");
        this.stateFile = cache.resolve("daemon-state.json");
        lastRunTime = gauge("cairn_job_last_run_timestamp_seconds", "When the job's last run ended (Unix time).");
        lastSuccess = gauge("cairn_job_last_run_success", "1 when the job's last run succeeded (exit 0 or 3), else 0.");
        lastDuration = gauge("cairn_job_last_run_duration_seconds", "How long the job's last run took, retries included.");
        filesSeen = gauge("cairn_backup_files", "Files in the last backup's snapshot.");
        bytesRead = gauge("cairn_backup_read_bytes", "Bytes the last backup read from its sources.");
        bytesAdded = gauge("cairn_backup_added_bytes", "Bytes of new data the last backup stored (before compression).");
        dedupRatio = gauge("cairn_backup_dedup_ratio", "Bytes in the last snapshot over bytes it added.");
        nextRunTime = gauge("cairn_job_next_run_timestamp_seconds", "When the job runs next (Unix time).");
        repositorySize = Gauge.builder().name("cairn_repository_size_bytes")
                .help("Bytes of all objects in the repository, after the last backup or forget.").register(registry);
        runs = Counter.builder().name("cairn_job_runs_total").help("Runs of each job, by status.")
                .labelNames("job", "status").register(registry);
        failures = Counter.builder().name("cairn_job_failed_attempts_total")
                .help("Attempts that failed, retried or not.").labelNames("job").register(registry);
        up = Gauge.builder().name("cairn_daemon_up").help("1 while the daemon runs.").register(registry);
        up.set(1);
    }

    private Gauge gauge(String name, String help) {
        return Gauge.builder().name(name).help(help).labelNames("job").register(registry);
    }

    /** Environment for the runs: the daemon's, with the repository settings of the config. */
    Map<String, String> runEnv() {
        Map<String, String> e = new HashMap<>(env);
        e.put("CAIRN_REPOSITORY", config.repository());
        if (config.passwordFile() != null) {
            e.put("CAIRN_PASSWORD_FILE", config.passwordFile());
            e.remove("CAIRN_PASSWORD_COMMAND");
        }
        if (config.passwordCommand() != null) {
            e.put("CAIRN_PASSWORD_COMMAND", config.passwordCommand());
            e.remove("CAIRN_PASSWORD_FILE");
        }
        if (config.cacheDir() != null) {
            e.put("CAIRN_CACHE_DIR", config.cacheDir());
        }
        if (config.s3() != null) {
            if (config.s3().endpoint() != null) {
                e.put("AWS_ENDPOINT_URL_S3", config.s3().endpoint());
            }
            if (config.s3().region() != null) {
                e.put("AWS_REGION", config.s3().region());
            }
            if (Boolean.TRUE.equals(config.s3().pathStyle())) {
                e.put("CAIRN_S3_PATH_STYLE", "true");
            }
        }
        e.put("TZ", zone.getId());
        return e;
    }

    /** The command line a job runs. */
    List<String> arguments(DaemonConfig.Job j) {
        List<String> a = new ArrayList<>();
        a.add(j.type());
        DaemonConfig.Limits lim = config.limits();
        switch (j.type()) {
            case "backup" -> {
                a.addAll(j.sources());
                if (j.excludes() != null) {
                    j.excludes().forEach(x -> a.addAll(List.of("--exclude", x)));
                }
                if (j.tags() != null) {
                    j.tags().forEach(t -> a.addAll(List.of("--tag", t)));
                }
                if (lim != null && lim.threads() != null) {
                    a.addAll(List.of("--threads", lim.threads().toString()));
                }
                if (lim != null && lim.readMbPerS() != null) {
                    a.addAll(List.of("--read-limit", lim.readMbPerS().toString()));
                }
                if (config.s3() != null && config.s3().storageClass() != null) {
                    a.addAll(List.of("--s3-storage-class", config.s3().storageClass()));
                }
                a.add("--json");
            }
            case "forget" -> {
                DaemonConfig.Keep k = j.keep();
                addCount(a, "--keep-last", k.last());
                addCount(a, "--keep-hourly", k.hourly());
                addCount(a, "--keep-daily", k.daily());
                addCount(a, "--keep-weekly", k.weekly());
                addCount(a, "--keep-monthly", k.monthly());
                addCount(a, "--keep-yearly", k.yearly());
                if (k.within() != null) {
                    a.addAll(List.of("--keep-within", k.within()));
                }
                if (k.tags() != null) {
                    k.tags().forEach(t -> a.addAll(List.of("--keep-tag", t)));
                }
                if (Boolean.TRUE.equals(j.prune())) {
                    a.add("--prune");
                    if (j.maxUnused() != null) {
                        a.addAll(List.of("--max-unused", j.maxUnused()));
                    }
                }
                a.add("--json");
            }
            default -> {
                if (j.readDataSubset() != null) {
                    a.addAll(List.of("--read-data-subset", j.readDataSubset()));
                }
            }
        }
        if (lim != null && lim.uploadMbPerS() != null) {
            a.addAll(List.of("--upload-limit", lim.uploadMbPerS().toString()));
        }
        if (config.s3() != null && config.s3().connections() != null) {
            a.addAll(List.of("--s3-connections", config.s3().connections().toString()));
        }
        return a;
    }

    private static void addCount(List<String> a, String flag, Integer n) {
        if (n != null) {
            a.addAll(List.of(flag, n.toString()));
        }
    }

    private DaemonConfig.Job job(String name) {
        return config.jobs().stream().filter(j -> j.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no job named '" + name + "' in the config"));
    }

    /** Runs {@code name} now, with its retries, and records the result. */
    public RunResult runNow(String name) throws InterruptedException {
        DaemonConfig.Job j = job(name);
        Instant start = clock.instant();
        Duration delay = j.retryDelay() == null ? Duration.ofSeconds(30) : DaemonConfig.duration(j.retryDelay(), "retry-delay");
        int attempts = 0;
        int code;
        String message;
        JsonNode summary = null;
        running = name;
        try {
            while (true) {
                attempts++;
                log.info(name, "run started" + (attempts > 1 ? " (attempt " + attempts + ")" : ""),
                        Map.of("args", String.join(" ", arguments(j))));
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                code = runner.run(arguments(j).toArray(String[]::new), runEnv(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
                String errText = err.toString(StandardCharsets.UTF_8).strip();
                message = errText.isEmpty() ? "" : errText.lines().reduce((a, b) -> b).orElse("");
                summary = parseJson(out.toString(StandardCharsets.UTF_8));
                if (code == 0 || code == 3 || code == 2 || stopping || attempts > j.retryCount()) {
                    break;
                }
                failures.labelValues(name).inc();
                log.warn(name, "run failed with exit " + code + ", retrying in " + delay.toSeconds() + " s: " + message,
                        Map.of());
                sleep(delay);
                delay = delay.multipliedBy(2);
            }
        } finally {
            running = null;
        }
        if (code != 0 && code != 3) {
            failures.labelValues(name).inc();
        }
        if ((code == 0 || code == 3) && !j.type().equals("check") && measureDue(j)) {
            measureRepository();
        }
        Instant end = clock.instant();
        RunResult r = new RunResult(name, start, end, code, attempts, message, summary);
        record(j, r);
        // The daemon then idles for hours: a full collection lets the heap shrink back to what is live (with the
        // launchers' -XX:+UseAdaptiveSizePolicyWithSystemGC, Parallel GC resizes on it). README, Performance.
        System.gc();
        return r;
    }

    /**
     * Whether to list the repository for the size gauge after a run of {@code j}: after every forget (it may have
     * pruned), after a backup when the last listing is {@link #MEASURE_EVERY} old. The listing is a request per
     * thousand packs on S3 (a stat per pack locally: 2.1-2.4 s for 125,000 packs, cold), while the gauge moves by
     * what one backup added: backups scheduled every few minutes no longer pay it each time; a nightly one still
     * lists after each run.
     */
    private boolean measureDue(DaemonConfig.Job j) {
        Instant last = measured;
        return !j.type().equals("backup") || last == null || !clock.instant().isBefore(last.plus(MEASURE_EVERY));
    }

    /** Lists the repository's objects (no snapshot walk) for the size gauge; a failure only skips the update. */
    private void measureRepository() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("stats", "--mode", "repository", "--json"));
        if (config.s3() != null && config.s3().connections() != null) {
            args.addAll(List.of("--s3-connections", config.s3().connections().toString()));
        }
        int code = runner.run(args.toArray(String[]::new), runEnv(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        JsonNode n = parseJson(out.toString(StandardCharsets.UTF_8));
        if (code == 0 && n != null && n.has("repository_bytes")) {
            repositorySize.set(n.get("repository_bytes").asDouble());
            measured = clock.instant();
        }
    }

    private JsonNode parseJson(String out) {
        try {
            return out.isBlank() ? null : json.readTree(out);
        } catch (IOException notJson) {
            return null;
        }
    }

    private void record(DaemonConfig.Job j, RunResult r) {
        lock.lock();
        try {
            results.put(j.name(), r);
            lastRun.put(j.name(), r.start());
        } finally {
            lock.unlock();
        }
        runs.labelValues(j.name(), r.status()).inc();
        lastRunTime.labelValues(j.name()).set(r.end().toEpochMilli() / 1000.0);
        lastSuccess.labelValues(j.name()).set(r.exitCode() == 0 || r.exitCode() == 3 ? 1 : 0);
        lastDuration.labelValues(j.name()).set(Duration.between(r.start(), r.end()).toMillis() / 1000.0);
        JsonNode s = r.summary();
        if ("backup".equals(j.type()) && s != null && s.has("total_files")) {
            filesSeen.labelValues(j.name()).set(s.path("total_files").asDouble());
            bytesRead.labelValues(j.name()).set(s.path("bytes_read").asDouble());
            bytesAdded.labelValues(j.name()).set(s.path("data_added").asDouble());
            double added = s.path("data_added").asDouble();
            dedupRatio.labelValues(j.name()).set(added > 0 ? s.path("total_bytes").asDouble() / added : 0);
        }
        String level = r.exitCode() == 0 ? "info" : r.exitCode() == 3 ? "warn" : "error";
        log.log(level, j.name(), "run ended: " + r.status() + " (exit " + r.exitCode() + ", " + r.attempts()
                + " attempt" + (r.attempts() == 1 ? "" : "s") + ")" + (r.message().isEmpty() ? "" : ": " + r.message()),
                Map.of("duration_s", Duration.between(r.start(), r.end()).toSeconds()));
        saveState();
    }

    private void sleep(Duration d) throws InterruptedException {
        lock.lock();
        try {
            long nanos = d.toNanos();
            while (nanos > 0 && !stopping) {
                nanos = wake.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private void loadState() {
        try {
            if (Files.exists(stateFile)) {
                JsonNode n = json.readTree(stateFile.toFile());
                n.fields().forEachRemaining(e -> {
                    if (schedules.containsKey(e.getKey()) && e.getValue().has("last_run")) {
                        lastRun.put(e.getKey(), Instant.parse(e.getValue().get("last_run").asText()));
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            log.warn(null, "cannot read " + stateFile + " (" + e.getMessage() + "); no run is caught up", Map.of());
        }
    }

    private void saveState() {
        Map<String, Object> m = new LinkedHashMap<>();
        lastRun.forEach((k, v) -> m.put(k, Map.of("last_run", v.toString())));
        try {
            Files.createDirectories(stateFile.getParent());
            Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
            Files.write(tmp, json.writeValueAsBytes(m));
            Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn(null, "cannot write " + stateFile + ": " + e.getMessage(), Map.of());
        }
    }

    /** Starts the HTTP server and the scheduler; returns at once. */
    public void start() throws IOException {
        loadState();
        Instant now = clock.instant();
        for (DaemonConfig.Job j : config.jobs()) {
            Schedule s = schedules.get(j.name());
            Instant last = lastRun.get(j.name());
            Instant due = s.isInterval() && last != null ? s.next(last) : s.next(now);
            if (j.catchingUp() && last != null && !s.next(last).isAfter(now)) {
                due = now;
                log.info(j.name(), "a run was missed while the daemon was down; running it now", Map.of());
            }
            next.put(j.name(), due);
            nextRunTime.labelValues(j.name()).set(due.toEpochMilli() / 1000.0);
        }
        startHttp();
        loop = new Thread(this::loop, "cairn-scheduler");
        loop.start();
    }

    private void loop() {
        worker = Thread.currentThread();
        try {
            while (!stopping) {
                String due = null;
                Instant when = null;
                String asked = null;
                lock.lock();
                try {
                    if (!requested.isEmpty()) {
                        asked = requested.iterator().next();
                        requested.remove(asked);
                    } else {
                        for (Map.Entry<String, Instant> e : next.entrySet()) {
                            if (when == null || e.getValue().isBefore(when)) {
                                when = e.getValue();
                                due = e.getKey();
                            }
                        }
                        long wait = Duration.between(clock.instant(), when).toNanos();
                        if (wait > 0) {
                            wake.awaitNanos(Math.min(wait, TimeUnit.SECONDS.toNanos(5)));
                            continue;
                        }
                    }
                } finally {
                    lock.unlock();
                }
                if (stopping) {
                    break;
                }
                if (asked != null) {
                    // An extra run: the job's schedule stays as it was.
                    log.info(asked, "running on request", Map.of());
                    runNow(asked);
                    continue;
                }
                runNow(due);
                Schedule s = schedules.get(due);
                Instant after = clock.instant();
                Instant n = s.next(s.isInterval() ? after : when.isAfter(after) ? when : after);
                lock.lock();
                try {
                    next.put(due, n);
                } finally {
                    lock.unlock();
                }
                nextRunTime.labelValues(due).set(n.toEpochMilli() / 1000.0);
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            log.log("error", null, "scheduler stopped: " + e, Map.of());
        }
    }

    private void startHttp() throws IOException {
        DaemonConfig.Http h = config.http();
        if (h != null && h.port() != null && h.port() < 0) {
            return;
        }
        String address = h == null || h.address() == null ? "0.0.0.0" : h.address();
        int port = h == null || h.port() == null ? 9180 : h.port();
        http = HttpServer.create(new InetSocketAddress(address, port), 16);
        http.createContext("/metrics", x -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(b, registry.scrape());
            respond(x, 200, PrometheusTextFormatWriter.CONTENT_TYPE, b.toByteArray());
        });
        http.createContext("/healthz", x -> {
            boolean ok = !stopping && loop != null && loop.isAlive();
            respond(x, ok ? 200 : 503, "text/plain", (ok ? "ok\n" : "stopping\n").getBytes(StandardCharsets.UTF_8));
        });
        http.createContext("/status", x -> respond(x, 200, "application/json", json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(status())));
        http.createContext("/jobs/", this::runRequest);
        http.setExecutor(null);
        http.start();
        log.info(null, "serving /metrics, /healthz and /status" + (h != null && h.acceptsRunRequests()
                ? " and run requests (POST /jobs/NAME/run)" : "") + " on " + address + ":" + port(), Map.of());
    }

    /** {@code POST /jobs/NAME/run}: queues one extra run of the job (once, however often asked before it starts). */
    private void runRequest(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String name = path.startsWith("/jobs/") && path.endsWith("/run")
                ? path.substring("/jobs/".length(), path.length() - "/run".length()) : null;
        int code;
        String answer;
        if (name == null || !schedules.containsKey(name)) {
            code = 404;
            answer = name == null ? "no such resource" : "no job named '" + name + "' in the config";
        } else if (!x.getRequestMethod().equals("POST")) {
            x.getResponseHeaders().set("Allow", "POST");
            code = 405;
            answer = "use POST to ask for a run";
        } else if (config.http() == null || !config.http().acceptsRunRequests()) {
            code = 403;
            answer = "run requests are off (http: run-requests: true turns them on)";
        } else if (stopping) {
            code = 503;
            answer = "stopping";
        } else {
            log.info(name, "run requested over HTTP", Map.of());
            lock.lock();
            try {
                requested.add(name);
                wake.signalAll();
            } finally {
                lock.unlock();
            }
            code = 202;
            answer = "queued";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", name);
        body.put(code == 202 ? "status" : "error", answer);
        respond(x, code, "application/json", json.writeValueAsBytes(body));
    }

    /** The HTTP port (the one picked, when the config says 0), or -1 without a server. */
    public int port() {
        return http == null ? -1 : http.getAddress().getPort();
    }

    /** What {@code /status} shows. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("repository", config.repository());
        m.put("running", running);
        lock.lock();
        try {
            m.put("requested", List.copyOf(requested));
        } finally {
            lock.unlock();
        }
        m.put("stopping", stopping);
        List<Map<String, Object>> jobs = new ArrayList<>();
        lock.lock();
        try {
            for (DaemonConfig.Job j : config.jobs()) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("name", j.name());
                e.put("type", j.type());
                e.put("schedule", j.schedule());
                Instant n = next.get(j.name());
                e.put("next_run", n == null ? null : n.toString());
                RunResult r = results.get(j.name());
                if (r != null) {
                    Map<String, Object> last = new LinkedHashMap<>();
                    last.put("start", r.start().toString());
                    last.put("end", r.end().toString());
                    last.put("status", r.status());
                    last.put("exit_code", r.exitCode());
                    last.put("attempts", r.attempts());
                    last.put("message", r.message());
                    last.put("summary", r.summary());
                    e.put("last_run", last);
                }
                jobs.add(e);
            }
        } finally {
            lock.unlock();
        }
        m.put("jobs", jobs);
        return m;
    }

    private static void respond(HttpExchange x, int code, String type, byte[] body) throws IOException {
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(code, body.length);
        try (OutputStream o = x.getResponseBody()) {
            o.write(body);
        }
    }

    /**
     * Stops: no new runs; the run in progress is interrupted and given {@code grace} to end. Returns whether
     * everything ended within it.
     */
    public boolean stop() throws InterruptedException {
        stopping = true;
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        Thread w = worker;
        boolean ended = true;
        if (loop != null) {
            if (running != null && w != null) {
                log.info(running, "stopping: interrupting the run in progress", Map.of());
                w.interrupt();
            }
            loop.join(config.grace().toMillis());
            ended = !loop.isAlive();
        }
        up.set(0);
        if (http != null) {
            http.stop(0);
        }
        log.info(null, ended ? "stopped" : "stopped; a run did not end within the grace period", Map.of());
        return ended;
    }

    @Override
    public void close() throws Exception {
        if (!stopping) {
            stop();
        }
    }
}
