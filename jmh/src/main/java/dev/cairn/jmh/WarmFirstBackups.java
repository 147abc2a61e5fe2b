package dev.cairn.jmh;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupProgress;
import dev.cairn.backup.BackupResult;
import dev.cairn.catalog.Catalog;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * First backups of one tree, one after another in one JVM, each into a new local repository (default settings:
 * zstd level 3, encrypted) with the page cache dropped before it when run as root. The first run is what a fresh
 * process does once it has started (its code still interpreted, then compiled as it goes); the later ones are
 * what a JVM that has compiled the backup path does, as a daemon does every run after its first. Not a JMH
 * benchmark: a first backup of a real tree takes seconds and reads a cold disk, so it is timed as a whole.
 *
 * <p>A command given after the run count runs through {@code sh -c} before each backup, before the cache is
 * dropped: {@code jmh/e2e/warm-first.sh} times restic's first backup of the same tree with it, so that the two
 * tools alternate. Prints one line per run: wall seconds, and CPU seconds of this process during the run.
 *
 * <pre>java -Xmx1g -XX:+UseParallelGC -XX:MaxNewSize=64m -XX:FreqInlineSize=60 --add-opens java.base/sun.nio.fs=ALL-UNNAMED \
 *     -cp jmh/target/benchmarks.jar dev.cairn.jmh.WarmFirstBackups TREE WORKDIR RUNS [COMMAND]</pre>
 */
public final class WarmFirstBackups {
    private WarmFirstBackups() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: WarmFirstBackups TREE WORKDIR RUNS [COMMAND]");
            System.exit(2);
        }
        Path tree = Path.of(args[0]).toAbsolutePath();
        Path work = Path.of(args[1]).toAbsolutePath();
        int runs = Integer.parseInt(args[2]);
        String before = args.length == 4 ? args[3] : null;
        if (!Files.isDirectory(tree)) {
            System.err.println("WarmFirstBackups: " + tree + " is not a directory");
            System.exit(2);
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 1; i <= runs; i++) {
            if (before != null) {
                shell(before);
            }
            Path dir = work.resolve("cairn-warm");
            Corpus.delete(dir);
            Repository repo = Repository.init(LocalDirectoryBlobStore.at(dir.resolve("repo")),
                    Repository.InitOptions.defaults(), "bench".toCharArray(), Clock.systemUTC());
            shell("sync; [ -w /proc/sys/vm/drop_caches ] && echo 3 > /proc/sys/vm/drop_caches || true");
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            BackupResult r;
            try (Catalog catalog = Catalog.open(dir.resolve("catalog"), repo.config().id())) {
                r = Backup.run(repo, catalog, BackupOptions.of(List.of(tree)), BackupProgress.NONE);
            }
            long t1 = System.nanoTime();
            long cpu1 = os.getProcessCpuTime();
            System.out.printf(Locale.ROOT, "cairn run %d: wall %.2f s, cpu %.2f s (snapshot %s)%n", i, (t1 - t0) / 1e9,
                    (cpu1 - cpu0) / 1e9, r.snapshotId().substring(0, 8));
            System.gc();
        }
        Corpus.delete(work.resolve("cairn-warm"));
    }

    private static void shell(String command) throws IOException, InterruptedException {
        int rc = new ProcessBuilder("sh", "-c", command).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IOException("'" + command + "' exited with " + rc);
        }
    }
}
