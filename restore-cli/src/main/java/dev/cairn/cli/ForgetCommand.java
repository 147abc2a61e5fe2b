package dev.cairn.cli;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.catalog.model.Snapshot;
import dev.cairn.maintenance.RetentionPolicy;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.repo.RepositoryLock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "forget", description = {"Remove snapshots that a retention policy does not keep.",
    "Snapshots are grouped (by host and paths unless --group-by says otherwise) and each group is kept on its own:"
        + " the newest N (--keep-last), the newest of each of the newest N hours, days, ISO weeks, months and years"
        + " (local time), all within a span of the newest (--keep-within 30d), and all with a tag (--keep-tag)."
        + " Only the snapshot manifests go; 'prune' (or --prune) frees the data."},
        footer = {"", "Examples:", "  cairn forget --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --dry-run",
            "  cairn forget --keep-last 3 --host db1 --prune", "  cairn forget --keep-within 90d --keep-tag release --json"})
final class ForgetCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--keep-last", paramLabel = "N", description = "Keep the N newest snapshots.")
    int last;

    @Option(names = "--keep-hourly", paramLabel = "N", description = "Keep the newest of each of the last N hours.")
    int hourly;

    @Option(names = "--keep-daily", paramLabel = "N", description = "Keep the newest of each of the last N days.")
    int daily;

    @Option(names = "--keep-weekly", paramLabel = "N", description = "Keep the newest of each of the last N weeks.")
    int weekly;

    @Option(names = "--keep-monthly", paramLabel = "N", description = "Keep the newest of each of the last N months.")
    int monthly;

    @Option(names = "--keep-yearly", paramLabel = "N", description = "Keep the newest of each of the last N years.")
    int yearly;

    @Option(names = "--keep-within", paramLabel = "SPAN", description = "Keep everything within SPAN (1y2m3d4h) of"
            + " the newest snapshot.")
    String within;

    @Option(names = "--keep-tag", paramLabel = "TAG", description = "Keep every snapshot tagged TAG (repeatable).")
    List<String> keepTags = new ArrayList<>();

    @Option(names = "--group-by", paramLabel = "KEYS", defaultValue = "host,paths",
            description = "Group snapshots by any of host, paths, tags (comma-separated; default ${DEFAULT-VALUE};"
                    + " empty: one group).")
    String groupBy;

    @Option(names = {"-n", "--dry-run"}, description = "Print what would be kept and removed; change nothing.")
    boolean dryRun;

    @Option(names = "--prune", description = "Prune after forgetting.")
    boolean prune;

    @Option(names = "--max-unused", paramLabel = "P%", defaultValue = "5%", description = "For --prune.")
    String maxUnused;

    @Option(names = "--json", description = "Print the decisions as JSON.")
    boolean json;

    @Mixin
    SnapshotFilterOptions filter;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        List<String> keys = groupBy.isBlank() ? List.of() : List.of(groupBy.split(","));
        for (String k : keys) {
            if (!List.of("host", "paths", "tags").contains(k)) {
                throw new IllegalArgumentException("--group-by takes host, paths and tags, not '" + k + "'");
            }
        }
        String tz = ctx.env().get("TZ");
        ZoneId zone = tz == null || tz.isBlank() ? ZoneId.systemDefault() : ZoneId.of(tz.startsWith(":")
                ? tz.substring(1) : tz);
        RetentionPolicy policy = new RetentionPolicy(last, hourly, daily, weekly, monthly, yearly,
                within == null ? null : RetentionPolicy.Within.parse(within), new HashSet<>(keepTags), zone);
        if (policy.isEmpty()) {
            throw new IllegalArgumentException("no policy given: nothing would be kept (use --keep-last, --keep-daily,"
                    + " ... ; see 'cairn forget --help')");
        }
        double max = PruneCommand.parsePercent(maxUnused);
        try (Repository r = root.repo.open(ctx);
                RepositoryLock lock = dryRun ? null : RepositoryLock.exclusive(r);
                MetadataReader reader = new MetadataReader(r, new dev.cairn.catalog.InMemoryBlobIndex())) {
            Map<List<Object>, List<MetadataReader.SnapshotRef>> groups = new LinkedHashMap<>();
            for (MetadataReader.SnapshotRef s : reader.snapshots()) {
                if (filter.filter().matches(s.snapshot())) {
                    groups.computeIfAbsent(groupKey(s.snapshot(), keys), k -> new ArrayList<>()).add(s);
                }
            }
            List<Map<String, Object>> out = new ArrayList<>();
            List<MetadataReader.SnapshotRef> remove = new ArrayList<>();
            for (Map.Entry<List<Object>, List<MetadataReader.SnapshotRef>> g : groups.entrySet()) {
                List<RetentionPolicy.Decision<MetadataReader.SnapshotRef>> decisions = policy.apply(g.getValue(),
                        s -> s.snapshot().time(), s -> s.snapshot().tags());
                Map<String, Object> group = new LinkedHashMap<>();
                for (int i = 0; i < keys.size(); i++) {
                    group.put(keys.get(i), g.getKey().get(i));
                }
                List<Map<String, Object>> list = new ArrayList<>();
                if (!json) {
                    ctx.out().println(keys.isEmpty() ? "all snapshots:" : "group " + group + ":");
                }
                for (RetentionPolicy.Decision<MetadataReader.SnapshotRef> d : decisions) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("id", d.snapshot().id());
                    e.put("time", d.time().toString());
                    e.put("keep", d.keep());
                    e.put("reasons", d.reasons());
                    list.add(e);
                    if (!d.keep()) {
                        remove.add(d.snapshot());
                    }
                    if (!json) {
                        ctx.out().printf("  %-6s  %s  %-30s  %s%n", d.keep() ? "keep" : "remove", d.snapshot().shortId(),
                                d.time(), String.join(", ", d.reasons()));
                    }
                }
                group.put("decisions", list);
                out.add(group);
            }
            if (!dryRun) {
                for (MetadataReader.SnapshotRef s : remove) {
                    r.store().delete(ObjectName.of(ObjectType.SNAPSHOT, s.id()));
                }
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("dry_run", dryRun);
                m.put("groups", out);
                m.put("removed", remove.size());
                ctx.out().println(MetadataCodec.toJson(m));
            } else {
                ctx.out().printf("%s %d snapshots%n", dryRun ? "would remove" : "removed", remove.size());
            }
            if (prune && lock != null) {
                lock.close();
                return PruneCommand.run(ctx, r, max, false, json);
            }
        }
        return Cairn.EXIT_OK;
    }

    private static List<Object> groupKey(Snapshot s, List<String> keys) {
        List<Object> k = new ArrayList<>();
        for (String key : keys) {
            k.add(switch (key) {
                case "host" -> s.host();
                case "paths" -> s.paths();
                default -> s.tags();
            });
        }
        return k;
    }
}
