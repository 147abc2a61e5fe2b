package dev.cairn.cli;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.restore.Overwrite;
import dev.cairn.restore.RestoreListener;
import dev.cairn.restore.RestoreOptions;
import dev.cairn.restore.RestoreResult;
import dev.cairn.restore.Restorer;
import dev.cairn.restore.SnapshotTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "restore", description = {"Restore a snapshot, or part of it, into a directory.",
    "Files are written under a temporary name and renamed when complete; run an interrupted restore again and it"
        + " keeps the files it finished."},
        footer = {"", "Examples:",
            "  cairn restore latest --target /srv/restore",
            "  cairn restore 4f2a91c0:/data/projects --target /srv/restore --include '*.pdf'",
            "  cairn restore latest --host db1 --target /srv/data --delete --verify",
            "  cairn restore latest --target /srv/restore --dry-run -v"})
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(paramLabel = "SNAPSHOT[:PATH]",
            description = "Snapshot id, unique prefix, or 'latest'; ':PATH' restores that directory's contents.")
    String snapshot;

    @Option(names = {"-t", "--target"}, required = true, paramLabel = "DIR", description = "Directory to restore into.")
    Path target;

    @Option(names = {"-i", "--include"}, paramLabel = "PATTERN",
            description = "Restore only entries matching PATTERN and their contents (repeatable).")
    List<String> include = new ArrayList<>();

    @Option(names = {"-e", "--exclude"}, paramLabel = "PATTERN", description = "Leave out entries matching PATTERN.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--overwrite", paramLabel = "POLICY", defaultValue = "if-changed",
            description = "always, if-changed (size or mtime differ; default), if-newer, or never.")
    String overwrite;

    @Option(names = "--delete", description = "Delete entries of the target that the snapshot does not hold.")
    boolean delete;

    @Option(names = "--verify", description = "Reread every restored file and check it against its chunk ids.")
    boolean verify;

    @Option(names = {"-n", "--dry-run"}, description = "Plan and report; change nothing.")
    boolean dryRun;

    @Option(names = {"-v", "--verbose"}, description = "List every action (restore, keep, link, delete).")
    boolean verbose;

    @Option(names = "--threads", paramLabel = "N", description = "Parallel pack readers (default: ${DEFAULT-VALUE}).")
    int threads = RestoreOptions.defaults().threads();

    @Option(names = "--json", description = "Print the summary as JSON.")
    boolean json;

    @Mixin
    SnapshotFilterOptions filter;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        RestoreOptions options = RestoreOptions.defaults().withFilters(include, exclude)
                .withOverwrite(Overwrite.parse(overwrite)).withDelete(delete).withVerify(verify).withDryRun(dryRun)
                .withThreads(threads);
        int colon = snapshot.indexOf(':');
        String id = colon < 0 ? snapshot : snapshot.substring(0, colon);
        String sub = colon < 0 ? "/" : snapshot.substring(colon + 1);
        try (ReadSession s = ReadSession.open(root);
                TerminalProgress progress = new TerminalProgress(ctx, "written")) {
            MetadataReader.SnapshotRef snap = s.reader.resolve(id, filter.filter());
            SnapshotTree.Located at = new SnapshotTree(s.reader).locate(snap.snapshot().tree(), sub);
            if (!at.isDirectory()) {
                throw new IllegalArgumentException(at.path() + " is a file, not a directory: restore its directory"
                        + " with --include, or use 'cairn dump'");
            }
            if (at.node() == null && snap.snapshot().summary() != null) {
                progress.expect(snap.snapshot().summary().totalBytes());
            }
            RestoreListener listener = new RestoreListener() {
                @Override
                public void wrote(long files, long bytes) {
                    progress.add(files, bytes, bytes);
                }

                @Override
                public void action(String verb, java.nio.file.Path path) {
                    if (verbose) {
                        synchronized (ctx.out()) {
                            progress.clear();
                            ctx.out().println((dryRun ? "would " : "") + verb + " " + path);
                        }
                    }
                }
            };
            RestoreResult r = new Restorer(s.repo, s.catalog, s.reader, options, listener)
                    .restore(at.tree(), at.path(), target);
            progress.clear();
            for (String w : r.warnings()) {
                ctx.err().println("cairn: warning: " + w);
            }
            for (String e : r.errors()) {
                ctx.err().println("cairn: verify: " + e);
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("snapshot", snap.id());
                m.put("path", at.path());
                m.put("target", target.toString());
                m.put("dry_run", dryRun);
                m.put("files_restored", r.files());
                m.put("files_unchanged", r.unchanged());
                m.put("dirs", r.dirs());
                m.put("other_entries", r.others());
                m.put("bytes_written", r.bytes());
                m.put("deleted", r.deleted());
                m.put("files_verified", r.verified());
                m.put("verify_errors", r.errors().size());
                m.put("warnings", r.warnings().size());
                ctx.out().println(MetadataCodec.toJson(m));
            } else {
                ctx.out().printf("%s snapshot %s%s: %d files %s, %d unchanged, %d directories, %d other entries,"
                        + " %s%s%s into %s%n", dryRun ? "would restore" : "restored", snap.shortId(),
                        at.path().equals("/") ? "" : ":" + at.path(), r.files(), dryRun ? "to write" : "written",
                        r.unchanged(), r.dirs(), r.others(), Sizes.bytes(r.bytes()),
                        delete ? ", " + r.deleted() + " deleted" : "",
                        verify ? ", " + r.verified() + " verified" : "", target);
            }
            if (!r.errors().isEmpty()) {
                return Cairn.EXIT_FAILED;
            }
            return r.warnings().isEmpty() ? Cairn.EXIT_OK : Cairn.EXIT_PARTIAL;
        }
    }
}
