package dev.cairn.catalog;

import dev.cairn.store.BlobId;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.IndexFile;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A blob index held in memory, loaded from every index file of a repository. Its size grows with the
 * repository; it serves restores and small repositories until the RocksDB catalog takes over that role.
 */
public final class InMemoryBlobIndex implements BlobIndex {
    private final Map<BlobId, IndexEntry> entries = new ConcurrentHashMap<>();

    /** Loads every index file of {@code repo}. */
    public static InMemoryBlobIndex load(Repository repo) throws IOException {
        InMemoryBlobIndex index = new InMemoryBlobIndex();
        try (BlobCodec codec = repo.newCodec()) {
            for (ObjectInfo info : repo.store().list(ObjectType.INDEX)) {
                index.addAll(IndexFile.load(repo.store(), codec, info.name()));
            }
        }
        return index;
    }

    /** Adds entries; the first entry for an id wins (duplicates in two packs are harmless). */
    public void addAll(Collection<IndexEntry> more) {
        for (IndexEntry e : more) {
            entries.putIfAbsent(e.blob().id(), e);
        }
    }

    @Override
    public Optional<IndexEntry> find(BlobId id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** Every entry. */
    public Collection<IndexEntry> entries() {
        return entries.values();
    }

    public int size() {
        return entries.size();
    }
}
