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
    private final BlobCodec codec;

    public MetadataReader(Repository repo, BlobIndex index) {
        this.repo = repo;
        this.index = index;
        this.codec = repo.newCodec();
    }

    /** A snapshot and its id. */
    public record SnapshotRef(String id, Snapshot snapshot) {
        public String shortId() {
            return id.substring(0, 8);
        }
    }

    /** Every snapshot, oldest first. */
    public List<SnapshotRef> snapshots() throws IOException {
        List<SnapshotRef> out = new ArrayList<>();
        for (ObjectInfo info : repo.store().list(ObjectType.SNAPSHOT)) {
            out.add(new SnapshotRef(info.name().id(), loadSnapshot(info.name())));
        }
        out.sort(Comparator.comparing((SnapshotRef r) -> r.snapshot().time()).thenComparing(SnapshotRef::id));
        return out;
    }

    private Snapshot loadSnapshot(ObjectName name) throws IOException {
        return MetadataCodec.decodeSnapshot(SealedObjects.load(repo.store(), codec, name, BlobKind.SNAPSHOT),
                name.toString());
    }

    /**
     * Resolves {@code latest} or a unique id prefix.
     *
     * @throws RepositoryException if no snapshot or more than one matches
     */
    public SnapshotRef resolve(String idOrLatest) throws IOException {
        if (idOrLatest.equals("latest")) {
            List<SnapshotRef> all = snapshots();
            if (all.isEmpty()) {
                throw new RepositoryException("no snapshots in " + repo.store().location());
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

    /** Loads a tree by id. */
    public Tree tree(BlobId id) throws IOException {
        IndexEntry e = index.find(id).orElseThrow(
                () -> new CorruptObjectException("tree " + id.shortHex(), "no index file lists it"));
        return MetadataCodec.decodeTree(SealedObjects.loadBlob(repo.store(), codec, e), "tree " + id.shortHex());
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
