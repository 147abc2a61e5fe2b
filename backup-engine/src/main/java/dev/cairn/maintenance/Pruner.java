package dev.cairn.maintenance;

import dev.cairn.catalog.InMemoryBlobIndex;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.IndexFile;
import dev.cairn.store.pack.PackAssembler;
import dev.cairn.store.pack.PackedBlob;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.repo.RepositoryException;
import dev.cairn.store.repo.RepositoryLock;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes what no snapshot needs. Plan, then execute; the plan is the dry run.
 *
 * <p>The plan reads every index file and walks every snapshot's trees to find the blobs in use (one copy of each),
 * then sorts packs: unused packs and packs no index covers (leftovers of interrupted runs) are deleted; packs whose
 * unused share is above the threshold, and small packs when there are several, are repacked (their used blobs
 * copied, still sealed, into new packs); the rest are kept as they are.
 *
 * <p>Execution keeps the repository valid at every step, so a prune killed at any point leaves every snapshot
 * restorable and a second prune finishes the job: (1) new packs and their index files are stored; (2) index files
 * for the kept packs are stored; (3) the old index files are deleted; (4) the packs that were repacked or unused are
 * deleted. Before (3), old and new index files both describe packs that exist; after it, the packs still to be
 * deleted are covered by no index, which the next prune deletes.
 *
 * <p>Prune needs the exclusive lock: no backup can be adding packs that no index covers yet.
 */
public final class Pruner {
    /** Below this share of the pack size a pack is small; several small packs are combined. */
    static final double SMALL = 0.25;

    private final Repository repo;

    private Pruner(Repository repo) {
        this.repo = repo;
    }

    /** A pruner for {@code repo}; {@code lock} must be an exclusive lock on it, held for the whole prune. */
    public static Pruner withLock(Repository repo, RepositoryLock lock) {
        if (!lock.isExclusive()) {
            throw new IllegalArgumentException("prune needs the exclusive lock on the repository");
        }
        return new Pruner(repo);
    }

    /** What a pack becomes. */
    public enum Fate { KEEP, REPACK, DELETE }

    /** One pack in the plan: its size, the bytes of blobs still in use, and its fate. */
    public record PackPlan(BlobId pack, long size, long usedBytes, int usedBlobs, int blobs, Fate fate) {
    }

    /**
     * The plan: every pack with its fate, the index files to replace, the entries to keep (for kept packs) and to
     * copy (from repacked ones), and the totals.
     */
    public record Plan(List<PackPlan> packs, List<String> oldIndexFiles, List<IndexEntry> keptEntries,
            Map<BlobId, List<PackedBlob>> toCopy, int snapshots, long usedBlobs, long unusedBlobs) {
        public long bytes(Fate f) {
            return packs.stream().filter(p -> p.fate() == f).mapToLong(PackPlan::size).sum();
        }

        public long count(Fate f) {
            return packs.stream().filter(p -> p.fate() == f).count();
        }

        /** Bytes the repository should shrink by: deleted packs, plus the unused part of repacked ones. */
        public long bytesFreed() {
            long repackUsed = packs.stream().filter(p -> p.fate() == Fate.REPACK).mapToLong(PackPlan::usedBytes).sum();
            return bytes(Fate.DELETE) + bytes(Fate.REPACK) - repackUsed;
        }

        public boolean nothingToDo() {
            return count(Fate.DELETE) == 0 && count(Fate.REPACK) == 0;
        }
    }

    /**
     * Plans a prune. {@code maxUnused} is the share of a pack (0 to 1) that may be unused before it is repacked.
     *
     * @throws RepositoryException if a snapshot cannot be read completely: then what it needs is unknown and
     *     nothing may be removed
     */
    public Plan plan(double maxUnused) throws IOException {
        if (maxUnused < 0 || maxUnused > 1) {
            throw new IllegalArgumentException("--max-unused must be between 0% and 100%, not " + maxUnused * 100 + "%");
        }
        Map<String, List<IndexEntry>> indexFiles = new LinkedHashMap<>();
        InMemoryBlobIndex index;
        try (BlobCodec codec = repo.newCodec()) {
            for (ObjectInfo i : repo.store().list(ObjectType.INDEX)) {
                indexFiles.put(i.name().id(), IndexFile.load(repo.store(), codec, i.name()));
            }
        }
        index = new InMemoryBlobIndex();
        indexFiles.values().forEach(index::addAll);
        Map<BlobId, Long> packSizes = new HashMap<>();
        for (ObjectInfo p : repo.store().list(ObjectType.DATA)) {
            packSizes.put(BlobId.parse(p.name().id()), p.size());
        }

        Set<BlobId> used = new HashSet<>();
        int snapshots;
        try (MetadataReader reader = new MetadataReader(repo, index)) {
            List<MetadataReader.SnapshotRef> refs = reader.snapshots();
            snapshots = refs.size();
            Deque<BlobId> todo = new ArrayDeque<>();
            for (MetadataReader.SnapshotRef s : refs) {
                todo.push(s.snapshot().tree());
            }
            while (!todo.isEmpty()) {
                BlobId t = todo.pop();
                if (!used.add(t)) {
                    continue;
                }
                Tree tree;
                try {
                    tree = reader.tree(t);
                } catch (IOException e) {
                    throw new RepositoryException("refusing to prune: " + e.getMessage()
                            + " (a snapshot cannot be read, so what it needs is unknown; run cairn check)");
                }
                for (Node n : tree.nodes()) {
                    if (n.type() == NodeType.DIRECTORY) {
                        todo.push(n.subtree());
                    } else if (n.type() == NodeType.FILE) {
                        used.addAll(n.content());
                    }
                }
            }
        }

        // One copy of each used blob: the first found in a pack that exists.
        Map<BlobId, IndexEntry> chosen = new HashMap<>();
        for (List<IndexEntry> entries : indexFiles.values()) {
            for (IndexEntry e : entries) {
                if (used.contains(e.blob().id()) && packSizes.containsKey(e.pack())) {
                    chosen.putIfAbsent(e.blob().id(), e);
                }
            }
        }
        for (BlobId b : used) {
            if (!chosen.containsKey(b)) {
                throw new RepositoryException("refusing to prune: blob " + b.shortHex() + " is used by a snapshot but"
                        + " no existing pack holds it (run cairn check)");
            }
        }
        Map<BlobId, List<IndexEntry>> byPack = new LinkedHashMap<>();
        for (List<IndexEntry> entries : indexFiles.values()) {
            for (IndexEntry e : entries) {
                if (packSizes.containsKey(e.pack())) {
                    List<IndexEntry> l = byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>());
                    if (l.stream().noneMatch(x -> x.blob().offset() == e.blob().offset())) {
                        l.add(e);
                    }
                }
            }
        }

        long target = repo.config().packSize();
        List<PackPlan> plans = new ArrayList<>();
        List<BlobId> small = new ArrayList<>();
        Map<BlobId, PackPlan> draft = new LinkedHashMap<>();
        for (Map.Entry<BlobId, Long> p : packSizes.entrySet()) {
            List<IndexEntry> entries = byPack.getOrDefault(p.getKey(), List.of());
            long usedBytes = 0;
            int usedCount = 0;
            for (IndexEntry e : entries) {
                if (chosen.get(e.blob().id()) == e) {
                    usedBytes += e.blob().length();
                    usedCount++;
                }
            }
            Fate fate;
            if (usedCount == 0) {
                fate = Fate.DELETE;
            } else if (1.0 - (double) usedBytes / p.getValue() > maxUnused) {
                fate = Fate.REPACK;
            } else {
                fate = Fate.KEEP;
                if (p.getValue() < target * SMALL) {
                    small.add(p.getKey());
                }
            }
            draft.put(p.getKey(), new PackPlan(p.getKey(), p.getValue(), usedBytes, usedCount, entries.size(), fate));
        }
        if (small.size() > 1) {
            for (BlobId s : small) {
                PackPlan d = draft.get(s);
                draft.put(s, new PackPlan(d.pack(), d.size(), d.usedBytes(), d.usedBlobs(), d.blobs(), Fate.REPACK));
            }
        }
        List<IndexEntry> kept = new ArrayList<>();
        Map<BlobId, List<PackedBlob>> copy = new LinkedHashMap<>();
        long usedBlobs = 0;
        long unusedBlobs = 0;
        for (PackPlan d : draft.values()) {
            plans.add(d);
            usedBlobs += d.usedBlobs();
            unusedBlobs += d.blobs() - d.usedBlobs();
            for (IndexEntry e : byPack.getOrDefault(d.pack(), List.of())) {
                if (d.fate() == Fate.KEEP) {
                    kept.add(e);
                } else if (d.fate() == Fate.REPACK && chosen.get(e.blob().id()) == e) {
                    copy.computeIfAbsent(d.pack(), k -> new ArrayList<>()).add(e.blob());
                }
            }
        }
        return new Plan(List.copyOf(plans), List.copyOf(indexFiles.keySet()), kept, copy, snapshots, usedBlobs,
                unusedBlobs);
    }

    /** Hears what an execution does, step by step. */
    public interface Listener {
        Listener NONE = new Listener() {
        };

        default void step(String what) {
        }
    }

    /** What an execution did. */
    public record Result(long packsDeleted, long packsWritten, long indexFilesWritten, long indexFilesDeleted,
            long bytesBefore, long bytesAfter) {
    }

    /** Executes {@code plan}, made by {@link #plan} under the same lock. */
    public Result execute(Plan plan, Listener listener) throws IOException {
        long before = 0;
        for (ObjectInfo p : repo.store().list(ObjectType.DATA)) {
            before += p.size();
        }
        long packsWritten = 0;
        long indexWritten = 0;
        Set<String> written = new HashSet<>();
        try (BlobCodec codec = repo.newCodec()) {
            // (1) Copy the used blobs of repacked packs into new packs, with index files for them.
            PackAssembler assembler = new PackAssembler(repo.store(), codec, repo.config().packSize());
            for (Map.Entry<BlobId, List<PackedBlob>> e : plan.toCopy().entrySet()) {
                listener.step("repacking " + e.getKey().shortHex());
                byte[] pack = repo.store().get(ObjectName.of(ObjectType.DATA, e.getKey().hex()));
                for (PackedBlob b : e.getValue()) {
                    assembler.addSealed(b, pack, (int) b.offset());
                }
            }
            assembler.flush();
            packsWritten = assembler.packsStored();
            for (PackAssembler.WrittenIndex w : assembler.takeWritten()) {
                written.add(w.indexFileId());
                indexWritten++;
            }
            // (2) Index files for the packs that stay.
            for (int i = 0; i < plan.keptEntries().size(); i += 50_000) {
                List<IndexEntry> part = plan.keptEntries().subList(i, Math.min(plan.keptEntries().size(), i + 50_000));
                written.add(IndexFile.save(repo.store(), codec, part).id());
                indexWritten++;
            }
        }
        // (3) The old index files: everything they describe is described again, or is about to go.
        Set<String> current = new HashSet<>();
        for (ObjectInfo i : repo.store().list(ObjectType.INDEX)) {
            current.add(i.name().id());
        }
        long indexDeleted = 0;
        for (String id : plan.oldIndexFiles()) {
            if (!current.contains(id) || written.contains(id)) {
                continue; // gone already, or identical to one just written (unencrypted repositories seal alike)
            }
            listener.step("deleting index " + id.substring(0, 8));
            repo.store().delete(ObjectName.of(ObjectType.INDEX, id));
            indexDeleted++;
        }
        // (4) Packs no index covers any more.
        long packsDeleted = 0;
        for (PackPlan p : plan.packs()) {
            if (p.fate() != Fate.KEEP) {
                listener.step("deleting pack " + p.pack().shortHex());
                repo.store().delete(ObjectName.of(ObjectType.DATA, p.pack().hex()));
                packsDeleted++;
            }
        }
        long after = 0;
        for (ObjectInfo p : repo.store().list(ObjectType.DATA)) {
            after += p.size();
        }
        return new Result(packsDeleted, packsWritten, indexWritten, indexDeleted, before, after);
    }
}
