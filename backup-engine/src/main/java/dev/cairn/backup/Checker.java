package dev.cairn.backup;

import dev.cairn.catalog.InMemoryBlobIndex;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.MetadataReader.SnapshotRef;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectType;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a repository's structure from the repository alone (not the catalog): every indexed pack exists and
 * is long enough for the blobs listed in it, and every tree and data blob that a snapshot reaches is indexed
 * and its tree decodes. Damage is reported as the object and the snapshots it affects. Packs that no index
 * covers are reported as leftovers of an interrupted run, which is not damage.
 */
public final class Checker {
    private Checker() {
    }

    /** One problem found. */
    public record Problem(String object, String problem, List<String> snapshots) {
        @Override
        public String toString() {
            return object + ": " + problem + (snapshots.isEmpty() ? "" : " (affects snapshots "
                    + String.join(", ", snapshots) + ")");
        }
    }

    /** The outcome: problems, and what was looked at. */
    public record Result(List<Problem> problems, int snapshots, int packs, int unindexedPacks, long blobs) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /** Checks {@code repo}'s structure. */
    public static Result checkStructure(Repository repo) throws IOException {
        List<Problem> problems = new ArrayList<>();
        InMemoryBlobIndex index = InMemoryBlobIndex.load(repo);
        Map<BlobId, Long> packSizes = new HashMap<>();
        for (ObjectInfo p : repo.store().list(ObjectType.DATA)) {
            packSizes.put(BlobId.parse(p.name().id()), p.size());
        }
        Map<BlobId, Long> needed = new HashMap<>();
        Set<BlobId> indexedPacks = new HashSet<>();
        for (IndexEntry e : index.entries()) {
            indexedPacks.add(e.pack());
            needed.merge(e.pack(), e.blob().offset() + e.blob().length() + 4, Math::max);
        }
        for (Map.Entry<BlobId, Long> n : needed.entrySet()) {
            Long size = packSizes.get(n.getKey());
            String name = "data/" + n.getKey().hex().substring(0, 2) + "/" + n.getKey().hex();
            if (size == null) {
                problems.add(new Problem(name, "indexed but missing", List.of()));
            } else if (size < n.getValue()) {
                problems.add(new Problem(name, size + " bytes, but its index needs at least " + n.getValue(),
                        List.of()));
            }
        }
        int unindexed = 0;
        for (BlobId p : packSizes.keySet()) {
            if (!indexedPacks.contains(p)) {
                unindexed++;
            }
        }
        List<SnapshotRef> snapshots;
        Map<String, List<String>> affected = new HashMap<>();
        try (MetadataReader reader = new MetadataReader(repo, index)) {
            snapshots = reader.snapshots();
            Set<BlobId> checkedTrees = new HashSet<>();
            for (SnapshotRef s : snapshots) {
                Deque<BlobId> todo = new ArrayDeque<>();
                todo.push(s.snapshot().tree());
                Set<BlobId> seenHere = new HashSet<>();
                while (!todo.isEmpty()) {
                    BlobId t = todo.pop();
                    if (!seenHere.add(t)) {
                        continue;
                    }
                    Tree tree;
                    try {
                        tree = reader.tree(t);
                    } catch (IOException e) {
                        affected.computeIfAbsent("tree " + t.shortHex() + ": " + e.getMessage(),
                                k -> new ArrayList<>()).add(s.shortId());
                        continue;
                    }
                    boolean first = checkedTrees.add(t);
                    for (Node n : tree.nodes()) {
                        if (n.type() == NodeType.DIRECTORY) {
                            todo.push(n.subtree());
                        } else if (n.type() == NodeType.FILE && first) {
                            for (BlobId c : n.content()) {
                                if (!index.contains(c)) {
                                    affected.computeIfAbsent("data blob " + c.shortHex() + " of " + n.name()
                                            + ": not in any index", k -> new ArrayList<>()).add(s.shortId());
                                }
                            }
                        }
                    }
                }
            }
        }
        affected.forEach((what, snaps) -> {
            int colon = what.indexOf(": ");
            problems.add(new Problem(what.substring(0, colon), what.substring(colon + 2), snaps));
        });
        return new Result(problems, snapshots.size(), packSizes.size(), unindexed, index.size());
    }
}
