package dev.cairn.catalog;

import dev.cairn.store.BlobId;
import java.util.Optional;

/** Raw tree blobs kept locally so that listing and change detection need no remote reads. Thread-safe. */
public interface TreeCache {
    Optional<byte[]> cachedTree(BlobId id);

    void cacheTree(BlobId id, byte[] raw);

    /** Caches nothing. */
    TreeCache NONE = new TreeCache() {
        @Override
        public Optional<byte[]> cachedTree(BlobId id) {
            return Optional.empty();
        }

        @Override
        public void cacheTree(BlobId id, byte[] raw) {
        }
    };
}
