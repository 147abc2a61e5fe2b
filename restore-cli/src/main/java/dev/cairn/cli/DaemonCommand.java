package dev.cairn.cli;

import dev.cairn.daemon.Daemon;
import dev.cairn.daemon.DaemonConfig;
import dev.cairn.daemon.DaemonLog;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "daemon", description = {"Run the jobs of a config file on their schedules, with /metrics, /healthz"
    + " and /status on HTTP.",
    "SIGTERM stops it: no new runs, the run in progress is interrupted (the repository stays valid), locks are"
        + " released, exit 0."},
        footer = {"", "Examples:", "  cairn daemon --config /etc/cairn/cairn.yaml",
            "  cairn daemon --config /etc/cairn/cairn.yaml --once nightly    (run one job now; its exit code)",
            "  cairn daemon --config cairn.yaml --log-format json", "",
            "See container/cairn.yaml for every key of the config file."})
final class DaemonCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The YAML config.")
    Path config;

    @Option(names = "--once", paramLabel = "JOB", description = "Run JOB now (with its retries) and exit with its"
            + " exit code.")
    String once;

    @Option(names = "--log-format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json.")
    String logFormat;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new IllegalArgumentException("--log-format takes text or json, not '" + logFormat + "'");
        }
        DaemonConfig cfg = DaemonConfig.load(config, ctx.env());
        DaemonLog log = new DaemonLog(ctx.err(), logFormat.equals("json"), Clock.systemUTC());
        Daemon.CommandRunner runner = (args, env, out, err) -> Cairn.run(args, env, ctx.in(), out, err);
        try (Daemon d = new Daemon(cfg, ctx.env(), Clock.systemUTC(), runner, log)) {
            if (once != null) {
                Daemon.RunResult r = d.runNow(once);
                return r.exitCode();
            }
            lowerPriority(cfg, log);
            d.start();
            CountDownLatch stopped = new CountDownLatch(1);
            if (ctx.out() == System.out) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        d.stop();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    stopped.countDown();
                    System.err.flush();
                    Runtime.getRuntime().halt(Cairn.EXIT_OK);
                }, "cairn-sigterm"));
            }
            stopped.await();
            return Cairn.EXIT_OK;
        }
    }

    /** Applies the config's nice and ionice settings to this process; what the OS refuses is a warning. */
    private static void lowerPriority(DaemonConfig cfg, DaemonLog log) {
        if (cfg.limits() == null) {
            return;
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        List<List<String>> cmds = new ArrayList<>();
        if (cfg.limits().nice() != null) {
            cmds.add(List.of("renice", "-n", cfg.limits().nice().toString(), "-p", pid));
        }
        if (Boolean.TRUE.equals(cfg.limits().ioniceIdle())) {
            cmds.add(List.of("ionice", "-c", "3", "-p", pid));
        }
        for (List<String> c : cmds) {
            try {
                Process p = new ProcessBuilder(c).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                if (p.waitFor() != 0) {
                    log.warn(null, String.join(" ", c) + " failed: " + out, Map.of());
                }
            } catch (java.io.IOException e) {
                log.warn(null, "cannot run " + c.get(0) + ": " + e.getMessage(), Map.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
