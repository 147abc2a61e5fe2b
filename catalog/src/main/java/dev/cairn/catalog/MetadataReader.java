package dev.cairn.catalog;

import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.catalog.model.Snapshot;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.SealedObjects;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.repo.RepositoryException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Reads snapshots and trees of a repository. Not thread-safe (it holds a codec); one per thread. */
public final class MetadataReader implements AutoCloseable {
    private final Repository repo;
    private final BlobIndex index;
    private final TreeCache trees;
    private final Catalog catalog;
    private final BlobCodec codec;

    /** A reader without local caches: every tree and snapshot comes from the repository. */
    public MetadataReader(Repository repo, BlobIndex index) {
        this(repo, index, TreeCache.NONE, null);
    }

    /** A reader that finds blobs through the catalog and caches trees and snapshots in it. */
    public MetadataReader(Repository repo, Catalog catalog) {
        this(repo, catalog, catalog, catalog);
    }

    private MetadataReader(Repository repo, BlobIndex index, TreeCache trees, Catalog catalog) {
        this.repo = repo;
        this.index = index;
        this.trees = trees;
        this.catalog = catalog;
        this.codec = repo.newCodec();
    }

    /** A snapshot and its id. */
    public record SnapshotRef(String id, Snapshot snapshot) {
        public String shortId() {
            return id.substring(0, 8);
        }
    }

    /** Every snapshot, oldest first. Snapshots already in the catalog are not read again. */
    public List<SnapshotRef> snapshots() throws IOException {
        java.util.Map<String, byte[]> cached = catalog == null ? java.util.Map.of() : catalog.cachedSnapshots();
        java.util.Set<String> present = new java.util.HashSet<>();
        List<SnapshotRef> out = new ArrayList<>();
        for (ObjectInfo info : repo.store().list(ObjectType.SNAPSHOT)) {
            String id = info.name().id();
            present.add(id);
            byte[] raw = cached.get(id);
            if (raw == null) {
                try {
                    raw = SealedObjects.load(repo.store(), codec, info.name(), BlobKind.SNAPSHOT);
                } catch (dev.cairn.store.NoSuchObjectException forgotten) {
                    continue;
                }
                if (catalog != null) {
                    catalog.cacheSnapshot(id, raw);
                }
            }
            out.add(new SnapshotRef(id, MetadataCodec.decodeSnapshot(raw, info.name().toString())));
        }
        if (catalog != null) {
            for (String id : cached.keySet()) {
                if (!present.contains(id)) {
                    catalog.forgetSnapshot(id);
                }
            }
        }
        out.sort(Comparator.comparing((SnapshotRef r) -> r.snapshot().time()).thenComparing(SnapshotRef::id));
        return out;
    }

    private Snapshot loadSnapshot(ObjectName name) throws IOException {
        byte[] raw = catalog == null ? null : catalog.cachedSnapshot(name.id());
        if (raw == null) {
            raw = SealedObjects.load(repo.store(), codec, name, BlobKind.SNAPSHOT);
            if (catalog != null) {
                catalog.cacheSnapshot(name.id(), raw);
            }
        }
        return MetadataCodec.decodeSnapshot(raw, name.toString());
    }

    /**
     * Resolves {@code latest} or a unique id prefix.
     *
     * @throws RepositoryException if no snapshot or more than one matches
     */
    public SnapshotRef resolve(String idOrLatest) throws IOException {
        return resolve(idOrLatest, SnapshotFilter.ALL);
    }

    /**
     * Resolves {@code latest} (the newest snapshot that {@code filter} matches) or a unique id prefix (the filter
     * does not apply to an explicit id).
     *
     * @throws RepositoryException if no snapshot or more than one matches
     */
    public SnapshotRef resolve(String idOrLatest, SnapshotFilter filter) throws IOException {
        if (idOrLatest.equals("latest")) {
            List<SnapshotRef> all = snapshots().stream().filter(s -> filter.matches(s.snapshot())).toList();
            if (all.isEmpty()) {
                throw new RepositoryException("no snapshots" + (filter.isEmpty() ? "" : " matching " + filter)
                        + " in " + repo.store().location());
            }
            return all.get(all.size() - 1);
        }
        if (!idOrLatest.matches("[0-9a-f]{1,64}")) {
            throw new RepositoryException("'" + idOrLatest + "' is not a snapshot id (hex digits or 'latest')");
        }
        List<ObjectName> matches = new ArrayList<>();
        for (ObjectInfo info : repo.store().list(ObjectType.SNAPSHOT)) {
            if (info.name().id().startsWith(idOrLatest)) {
                matches.add(info.name());
            }
        }
        if (matches.isEmpty()) {
            throw new RepositoryException("no snapshot " + idOrLatest + " in " + repo.store().location());
        }
        if (matches.size() > 1) {
            throw new RepositoryException("snapshot id " + idOrLatest + " is ambiguous: " + matches.size()
                    + " snapshots start with it");
        }
        return new SnapshotRef(matches.get(0).id(), loadSnapshot(matches.get(0)));
    }

    /** Loads a tree by id, from the local cache when it holds it. */
    public Tree tree(BlobId id) throws IOException {
        String what = "tree " + id.shortHex();
        java.util.Optional<byte[]> cached = trees.cachedTree(id);
        if (cached.isPresent()) {
            return MetadataCodec.decodeTree(cached.get(), what);
        }
        IndexEntry e = index.find(id).orElseThrow(() -> new CorruptObjectException(what, "no index file lists it"));
        byte[] raw = SealedObjects.loadBlob(repo.store(), codec, e);
        Tree t = MetadataCodec.decodeTree(raw, what);
        trees.cacheTree(id, raw);
        return t;
    }

    /** Loads a data blob by id. */
    public byte[] data(BlobId id) throws IOException {
        IndexEntry e = index.find(id).orElseThrow(
                () -> new CorruptObjectException("data blob " + id.shortHex(), "no index file lists it"));
        return SealedObjects.loadBlob(repo.store(), codec, e);
    }

    @Override
    public void close() {
        codec.close();
    }
}
