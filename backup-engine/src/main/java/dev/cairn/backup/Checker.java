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

    /**
     * Which packs {@code check --read-data-subset} reads: {@code N/M} is the N-th of M groups (packs whose id's
     * first 32 bits modulo M is N-1; M runs together read every pack once), {@code P%} a random P percent.
     */
    public record Subset(int n, int m, double percent) {
        public static final Subset ALL = new Subset(1, 1, 100);

        /** Parses {@code N/M} or {@code P%}. */
        public static Subset parse(String s) {
            try {
                if (s.endsWith("%")) {
                    double p = Double.parseDouble(s.substring(0, s.length() - 1));
                    if (p > 0 && p <= 100) {
                        return new Subset(1, 1, p);
                    }
                } else if (s.contains("/")) {
                    int n = Integer.parseInt(s.substring(0, s.indexOf('/')));
                    int m = Integer.parseInt(s.substring(s.indexOf('/') + 1));
                    if (m >= 1 && n >= 1 && n <= m) {
                        return new Subset(n, m, 100);
                    }
                }
            } catch (NumberFormatException bad) {
                // reported below
            }
            throw new IllegalArgumentException("--read-data-subset takes N/M (1 <= N <= M) or P% (0 < P <= 100), not '"
                    + s + "'");
        }

        boolean includes(BlobId pack, java.util.Random random) {
            long group = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(pack.bytes()).getInt()) % m;
            return group == n - 1 && (percent >= 100 || random.nextDouble() * 100 < percent);
        }
    }

    /**
     * Reads packs back and authenticates them: the pack's bytes against its name, its header, every blob in it
     * (decrypted and checked), and every index entry for it against the header. Damage is reported with the
     * snapshots and files it affects.
     */
    public static Result checkData(Repository repo, Subset subset, java.util.Random random) throws IOException {
        InMemoryBlobIndex index = InMemoryBlobIndex.load(repo);
        Map<BlobId, List<IndexEntry>> byPack = new HashMap<>();
        for (IndexEntry e : index.entries()) {
            byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e);
        }
        List<Problem> problems = new ArrayList<>();
        Map<BlobId, String> damaged = new HashMap<>();
        int read = 0;
        try (dev.cairn.store.codec.BlobCodec codec = repo.newCodec()) {
            dev.cairn.store.codec.BlobCodec.prepareForBulkOpen();
            for (ObjectInfo p : repo.store().list(ObjectType.DATA)) {
                BlobId id = BlobId.parse(p.name().id());
                if (!subset.includes(id, random)) {
                    continue;
                }
                read++;
                String name = p.name().toString();
                List<IndexEntry> entries = byPack.getOrDefault(id, List.of());
                byte[] bytes;
                try {
                    bytes = repo.store().get(p.name());
                } catch (IOException e) {
                    problems.add(new Problem(name, "cannot be read: " + e.getMessage(), List.of()));
                    entries.forEach(x -> damaged.put(x.blob().id(), name + " cannot be read"));
                    continue;
                }
                if (!java.util.Arrays.equals(sha256(bytes), id.bytes())) {
                    problems.add(new Problem(name, "content does not match its name", List.of()));
                }
                List<dev.cairn.store.pack.PackedBlob> header;
                try {
                    header = dev.cairn.store.pack.PackReader.parse(bytes, codec, name);
                } catch (IOException e) {
                    problems.add(new Problem(name, "header unreadable: " + e.getMessage(), List.of()));
                    entries.forEach(x -> damaged.put(x.blob().id(), name + " has no readable header"));
                    continue;
                }
                Set<dev.cairn.store.pack.PackedBlob> listed = new HashSet<>(header);
                for (dev.cairn.store.pack.PackedBlob b : header) {
                    try {
                        codec.verify(b.type().kind(), b.id(), bytes, (int) b.offset(), b.length(),
                                "blob " + b.id().shortHex() + " in " + name);
                    } catch (IOException e) {
                        damaged.put(b.id(), "blob " + b.id().shortHex() + " in " + name + " is damaged");
                    }
                }
                for (IndexEntry e : entries) {
                    if (!listed.contains(e.blob())) {
                        damaged.put(e.blob().id(), "blob " + e.blob().id().shortHex() + " is indexed in " + name
                                + " but the pack's header does not list it there");
                    }
                }
            }
        }
        if (!damaged.isEmpty()) {
            problems.addAll(affected(repo, index, damaged));
        }
        return new Result(problems, 0, read, 0, index.size());
    }

    /** The snapshots and files that hold damaged blobs, one problem per damaged blob. */
    private static List<Problem> affected(Repository repo, InMemoryBlobIndex index, Map<BlobId, String> damaged)
            throws IOException {
        Map<BlobId, Set<String>> snaps = new HashMap<>();
        Map<BlobId, Set<String>> files = new HashMap<>();
        try (MetadataReader reader = new MetadataReader(repo, index)) {
            for (SnapshotRef s : reader.snapshots()) {
                Deque<Object[]> todo = new ArrayDeque<>();
                todo.push(new Object[] {s.snapshot().tree(), ""});
                while (!todo.isEmpty()) {
                    Object[] t = todo.pop();
                    BlobId treeId = (BlobId) t[0];
                    String path = (String) t[1];
                    if (damaged.containsKey(treeId)) {
                        snaps.computeIfAbsent(treeId, k -> new java.util.TreeSet<>()).add(s.shortId());
                        files.computeIfAbsent(treeId, k -> new java.util.TreeSet<>()).add(path.isEmpty() ? "/" : path);
                        continue;
                    }
                    Tree tree;
                    try {
                        tree = reader.tree(treeId);
                    } catch (IOException e) {
                        continue;
                    }
                    for (Node n : tree.nodes()) {
                        String p = path + "/" + n.name();
                        if (n.type() == NodeType.DIRECTORY) {
                            todo.push(new Object[] {n.subtree(), p});
                        } else if (n.type() == NodeType.FILE) {
                            for (BlobId c : n.content()) {
                                if (damaged.containsKey(c)) {
                                    snaps.computeIfAbsent(c, k -> new java.util.TreeSet<>()).add(s.shortId());
                                    files.computeIfAbsent(c, k -> new java.util.TreeSet<>()).add(p);
                                }
                            }
                        }
                    }
                }
            }
        }
        List<Problem> out = new ArrayList<>();
        for (Map.Entry<BlobId, String> d : damaged.entrySet()) {
            Set<String> f = files.getOrDefault(d.getKey(), Set.of());
            String where = f.isEmpty() ? "no snapshot uses it" : "in " + String.join(", ", f);
            out.add(new Problem(d.getValue(), where, List.copyOf(snaps.getOrDefault(d.getKey(), Set.of()))));
        }
        return out;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
