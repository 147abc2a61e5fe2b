package dev.cairn.catalog;

import dev.cairn.store.BlobId;
import dev.cairn.store.pack.IndexEntry;
import java.util.Optional;

/** Where blobs live. Implementations are safe for concurrent readers. */
public interface BlobIndex {
    /** The blob's pack and place, or empty if no index file covers it. */
    Optional<IndexEntry> find(BlobId id);

    /** Whether the blob is stored. */
    default boolean contains(BlobId id) {
        return find(id).isPresent();
    }
}
