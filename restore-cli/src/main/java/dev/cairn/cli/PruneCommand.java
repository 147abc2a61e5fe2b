package dev.cairn.cli;

import dev.cairn.backup.LockRefresher;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.maintenance.Pruner;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.repo.RepositoryLock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "prune", description = {"Remove data that no snapshot needs.",
    "Deletes unused packs, repacks packs whose unused share is above --max-unused and combines small ones, writing"
        + " new index files before deleting anything. Takes the exclusive lock; safe to interrupt and run again."},
        footer = {"", "Examples:", "  cairn prune --dry-run", "  cairn prune --max-unused 10%"})
final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = {"-n", "--dry-run"}, description = "Print the plan; change nothing.")
    boolean dryRun;

    @Option(names = "--max-unused", paramLabel = "P%", defaultValue = "5%",
            description = "Repack a pack when more than P% of it is unused (default: ${DEFAULT-VALUE}).")
    String maxUnused;

    @Option(names = "--json", description = "Print the plan and result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        double max = parsePercent(maxUnused);
        try (Repository r = root.repo.open(root.ctx)) {
            return run(root.ctx, r, max, dryRun, json);
        }
    }

    static double parsePercent(String s) {
        try {
            if (s.endsWith("%")) {
                double v = Double.parseDouble(s.substring(0, s.length() - 1));
                if (v >= 0 && v <= 100) {
                    return v / 100;
                }
            }
        } catch (NumberFormatException bad) {
            // below
        }
        throw new IllegalArgumentException("--max-unused takes a percentage such as 5%, not '" + s + "'");
    }

    /** Plans and (unless a dry run) executes a prune under the exclusive lock; prints what it did. */
    static int run(CliContext ctx, Repository r, double maxUnused, boolean dryRun, boolean json) throws Exception {
        try (RepositoryLock lock = RepositoryLock.exclusive(r); LockRefresher refresher = new LockRefresher(lock)) {
            Pruner pruner = Pruner.withLock(r, lock);
            Pruner.Plan plan = pruner.plan(maxUnused);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("snapshots", plan.snapshots());
            m.put("blobs_used", plan.usedBlobs());
            m.put("blobs_unused", plan.unusedBlobs());
            for (Pruner.Fate f : Pruner.Fate.values()) {
                String k = f.name().toLowerCase(java.util.Locale.ROOT);
                m.put("packs_" + k, plan.count(f));
                m.put("bytes_" + k, plan.bytes(f));
            }
            m.put("bytes_to_free", plan.bytesFreed());
            if (!json) {
                ctx.out().printf("%d snapshots use %d blobs; %d blobs are unused%n", plan.snapshots(),
                        plan.usedBlobs(), plan.unusedBlobs());
                ctx.out().printf("packs: keep %d (%s), repack %d (%s), delete %d (%s); about %s to free%n",
                        plan.count(Pruner.Fate.KEEP), Sizes.bytes(plan.bytes(Pruner.Fate.KEEP)),
                        plan.count(Pruner.Fate.REPACK), Sizes.bytes(plan.bytes(Pruner.Fate.REPACK)),
                        plan.count(Pruner.Fate.DELETE), Sizes.bytes(plan.bytes(Pruner.Fate.DELETE)),
                        Sizes.bytes(plan.bytesFreed()));
            }
            if (!dryRun && !plan.nothingToDo()) {
                Pruner.Result res = pruner.execute(plan, Pruner.Listener.NONE);
                m.put("packs_written", res.packsWritten());
                m.put("packs_deleted", res.packsDeleted());
                m.put("index_files_written", res.indexFilesWritten());
                m.put("index_files_deleted", res.indexFilesDeleted());
                m.put("bytes_before", res.bytesBefore());
                m.put("bytes_after", res.bytesAfter());
                if (!json) {
                    ctx.out().printf("pruned: %d packs deleted, %d written; packs %s -> %s%n", res.packsDeleted(),
                            res.packsWritten(), Sizes.bytes(res.bytesBefore()), Sizes.bytes(res.bytesAfter()));
                }
            } else if (!json) {
                ctx.out().println(dryRun ? "dry run: nothing changed" : "nothing to prune");
            }
            if (json) {
                ctx.out().println(MetadataCodec.toJson(m));
            }
        }
        return Cairn.EXIT_OK;
    }
}
