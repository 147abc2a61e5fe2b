package dev.cairn.cli;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.restore.RepositoryStats;
import dev.cairn.store.BlobId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "stats", description = {"Sizes of snapshots and of the repository.",
    "restore-size: what restoring the snapshots would write. raw: also the distinct data they reference before and"
        + " after compression, the dedup and compression ratios, and the repository's packs."},
        footer = {"", "Examples:", "  cairn stats", "  cairn stats latest --mode restore-size", "  cairn stats --json"})
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Parameters(arity = "0..*", paramLabel = "SNAPSHOT", description = "Snapshots to count (default: all that match).")
    List<String> ids = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "raw",
            description = "raw (default), restore-size, or repository (object counts and sizes only, no snapshot walk).")
    String mode;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Mixin
    SnapshotFilterOptions filter;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        if (!mode.equals("raw") && !mode.equals("restore-size") && !mode.equals("repository")) {
            throw new IllegalArgumentException("--mode takes raw, restore-size or repository, not '" + mode + "'");
        }
        if (mode.equals("repository")) {
            return repositorySize(ctx);
        }
        boolean sizeOnly = mode.equals("restore-size");
        try (ReadSession s = ReadSession.open(root)) {
            List<BlobId> roots = new ArrayList<>();
            if (ids.isEmpty()) {
                for (MetadataReader.SnapshotRef r : s.reader.snapshots()) {
                    if (filter.filter().matches(r.snapshot())) {
                        roots.add(r.snapshot().tree());
                    }
                }
            } else {
                for (String id : ids) {
                    roots.add(s.reader.resolve(id, filter.filter()).snapshot().tree());
                }
            }
            RepositoryStats st = RepositoryStats.compute(s.reader, s.catalog, s.repo.store(), roots, sizeOnly);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mode", mode);
            m.put("snapshots", st.snapshots());
            m.put("files", st.files());
            m.put("restore_size", st.restoreSize());
            if (!sizeOnly) {
                m.put("data_blobs", st.dataBlobs());
                m.put("tree_blobs", st.treeBlobs());
                m.put("raw_size", st.rawSize());
                m.put("stored_size", st.storedSize());
                m.put("dedup_ratio", round(st.dedupRatio()));
                m.put("compression_ratio", round(st.compressionRatio()));
                m.put("packs", st.packs());
                m.put("pack_bytes", st.packBytes());
                m.put("index_files", st.indexFiles());
            }
            if (json) {
                ctx.out().println(MetadataCodec.toJson(m));
                return Cairn.EXIT_OK;
            }
            ctx.out().printf("snapshots:          %d%n", st.snapshots());
            ctx.out().printf("files:              %d%n", st.files());
            ctx.out().printf("restore size:       %s%n", Sizes.bytes(st.restoreSize()));
            if (!sizeOnly) {
                ctx.out().printf("distinct data:      %s in %d blobs (%d trees)%n", Sizes.bytes(st.rawSize()),
                        st.dataBlobs(), st.treeBlobs());
                ctx.out().printf("stored:             %s%n", Sizes.bytes(st.storedSize()));
                ctx.out().printf(Locale.ROOT, "dedup ratio:        %.2fx%n", st.dedupRatio());
                ctx.out().printf(Locale.ROOT, "compression ratio:  %.2fx%n", st.compressionRatio());
                ctx.out().printf("repository packs:   %d, %s%n", st.packs(), Sizes.bytes(st.packBytes()));
                ctx.out().printf("index files:        %d%n", st.indexFiles());
            }
        }
        return Cairn.EXIT_OK;
    }

    /** Only the repository's objects, listed: cheap enough to run after every scheduled job. */
    private int repositorySize(CliContext ctx) throws Exception {
        try (dev.cairn.store.BlobStore store = root.repo.store(ctx)) {
            Map<String, Object> m = new LinkedHashMap<>();
            long total = 0;
            for (dev.cairn.store.ObjectType t : dev.cairn.store.ObjectType.values()) {
                long bytes = 0;
                List<dev.cairn.store.ObjectInfo> objects = store.list(t);
                for (dev.cairn.store.ObjectInfo o : objects) {
                    bytes += o.size();
                }
                m.put(t.folder() + "_objects", objects.size());
                m.put(t.folder() + "_bytes", bytes);
                total += bytes;
            }
            m.put("repository_bytes", total);
            if (json) {
                ctx.out().println(MetadataCodec.toJson(m));
            } else {
                ctx.out().printf("repository: %s in %d packs (%s of packs)%n", Sizes.bytes(total),
                        (Integer) m.get("data_objects"), Sizes.bytes((Long) m.get("data_bytes")));
            }
        }
        return Cairn.EXIT_OK;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
