package dev.cairn.cli;

import dev.cairn.backup.Backup;
import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.BackupProgress;
import dev.cairn.backup.BackupResult;
import dev.cairn.backup.Excludes;
import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.model.BackupSummary;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.store.repo.Repository;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "backup", description = "Back up files and directories into a new snapshot.",
        footer = {"", "Exit codes: 0 ok, 1 failed (no snapshot), 3 snapshot written but some files were not read.",
            "", "Example:", "  cairn backup --repo /mnt/backup/repo --tag nightly /srv/projects /srv/home"})
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Files or directories to back up.")
    List<Path> paths;

    @Option(names = "--tag", paramLabel = "TAG", description = "Tag the snapshot (repeatable).")
    List<String> tags = List.of();

    @Option(names = "--host", description = "Host name recorded in the snapshot (default: this machine).")
    String host;

    @Option(names = "--time", paramLabel = "TIME",
            description = "Snapshot time, ISO-8601 such as 2026-01-31T02:00:00Z (default: now).")
    String time;

    @Option(names = "--parent", paramLabel = "ID",
            description = "Compare against this snapshot (default: latest of the same host and paths).")
    String parent;

    @Option(names = "--force", description = "Read every file, even those unchanged since the parent snapshot.")
    boolean force;

    @Option(names = {"-e", "--exclude"}, paramLabel = "GLOB",
            description = "Leave out entries matching GLOB: a name pattern (*.tmp) or, with a '/', an absolute"
                    + " path pattern (/srv/cache/**). Repeatable.")
    List<String> excludes = List.of();

    @Option(names = "--exclude-file", paramLabel = "FILE", description = "Read exclude patterns from FILE, one per line.")
    List<Path> excludeFiles = List.of();

    @Option(names = "--exclude-if-present", paramLabel = "NAME",
            description = "Leave out directories that hold an entry named NAME (such as .nobackup). Repeatable.")
    List<String> excludeIfPresent = List.of();

    @Option(names = {"-x", "--one-file-system"}, description = "Do not descend into other filesystems.")
    boolean oneFileSystem;

    @Option(names = "--threads", paramLabel = "N", description = "Threads reading and chunking large files, and"
            + " as many compressing and encrypting their chunks (default: the processors, at least 2); eight times as"
            + " many walk the tree and read small files.")
    Integer threads;

    @Option(names = "--read-limit", paramLabel = "MB/s", description = "Read the sources at most this fast"
            + " (megabytes per second), to leave the storage node's disks to its own work.")
    Double readLimit;

    @Option(names = "--json", description = "Print one JSON summary object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        Instant at = null;
        if (time != null) {
            try {
                at = Instant.parse(time);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--time '" + time + "' is not an ISO-8601 instant such as"
                        + " 2026-01-31T02:00:00Z");
            }
        }
        List<String> patterns = new java.util.ArrayList<>(excludes);
        for (Path f : excludeFiles) {
            patterns.addAll(Excludes.readPatternFile(f));
        }
        BackupOptions opts = BackupOptions.of(paths).withTags(tags).withHost(host).withTime(at).withParent(parent)
                .withForce(force).withExcludes(new Excludes(patterns, excludeIfPresent, oneFileSystem));
        if (threads != null) {
            opts = opts.withThreads(threads);
        }
        if (readLimit != null) {
            opts = opts.withReadLimit(RepositoryOptions.megabytes(readLimit, "--read-limit"));
        }
        BackupResult result;
        try (Repository r = root.repo.open(ctx);
                Catalog catalog = Catalog.open(root.repo.catalogDirectory(ctx, r), r.config().id());
                TerminalProgress progress = new TerminalProgress(ctx)) {
            result = Backup.run(r, catalog, opts, new BackupProgress() {
                @Override
                public void expect(long files, long bytes) {
                    progress.expect(bytes);
                }

                @Override
                public void file(Path path, long size, long bytesRead) {
                    progress.add(1, size, bytesRead);
                }

                @Override
                public void warning(String message) {
                    progress.clear();
                    ctx.err().println("cairn: warning: " + message);
                }
            });
        }
        BackupSummary s = result.summary();
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>(MetadataCodec.toMap(s));
            out.put("snapshot_id", result.snapshotId());
            out.put("parent", result.parentId());
            out.put("duration", s.durationSeconds());
            out.put("exit_code", result.exitCode());
            ctx.out().println(MetadataCodec.toJson(out));
        } else {
            ctx.out().printf("Files: %d new, %d changed, %d unmodified%n", s.filesNew(), s.filesChanged(),
                    s.filesUnmodified());
            ctx.out().printf("Dirs:  %d new, %d changed, %d unmodified%n", s.dirsNew(), s.dirsChanged(),
                    s.dirsUnmodified());
            ctx.out().printf("Added: %s in %d data blobs and %d tree blobs (%s stored)%n", Sizes.bytes(s.dataAdded()),
                    s.dataBlobs(), s.treeBlobs(), Sizes.bytes(s.dataAddedPacked()));
            ctx.out().printf("Processed %d files, %s read of %s in %.1f s%n", s.totalFiles(), Sizes.bytes(s.bytesRead()),
                    Sizes.bytes(s.totalBytes()), s.durationSeconds());
            ctx.out().println("snapshot " + result.snapshotId().substring(0, 8) + " saved"
                    + (result.warnings().isEmpty() ? "" : " with " + result.warnings().size()
                    + " warnings (partial: some files were not read)"));
        }
        return result.exitCode();
    }
}
