package dev.cairn.backup;

import dev.cairn.catalog.Catalog;
import dev.cairn.store.BlobId;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.PackAssembler;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores blobs from many threads without storing any twice, through one shared {@link PackAssembler} (each thread
 * seals with its own codec; packs fill in turn, whoever fills one stores it). A blob is skipped when the catalog
 * has it or another thread has claimed it in this run. Claims are dropped once the blob's pack and index file are
 * stored and the catalog lists it, so the set of claims holds only blobs in open packs: memory is bounded by the
 * pack size and the number of threads, not by the run's size.
 */
final class BlobSaver {
    private final Catalog catalog;
    private final Set<BlobId> claimed = ConcurrentHashMap.newKeySet();
    private final PackAssembler assembler;
    final AtomicLong dataBlobs = new AtomicLong();
    final AtomicLong treeBlobs = new AtomicLong();
    final AtomicLong dataAdded = new AtomicLong();

    /**
     * A saver sealing with at most {@code codecs} codecs, however many threads save: sealing is CPU work, and each
     * codec holds compression state and a scratch buffer.
     */
    BlobSaver(Repository repo, Catalog catalog, int codecs) {
        this.catalog = catalog;
        this.assembler = new PackAssembler(repo.store(), repo::newCodec, repo.config().packSize(), codecs);
    }

    /** Stores the blob unless it is known; returns whether this call stored it. */
    boolean save(BlobType type, BlobId id, byte[] raw, int off, int len) throws IOException {
        if (catalog.contains(id) || !claimed.add(id)) {
            return false;
        }
        assembler.add(type, id, raw, off, len);
        publish();
        if (type == BlobType.DATA) {
            dataBlobs.incrementAndGet();
            dataAdded.addAndGet(len);
        } else {
            treeBlobs.incrementAndGet();
        }
        return true;
    }

    /** Moves entries whose pack and index file are stored into the catalog, then drops their claims. */
    private void publish() throws IOException {
        for (PackAssembler.WrittenIndex w : assembler.takeWritten()) {
            catalog.addIndexFile(w.indexFileId(), w.entries());
            for (IndexEntry e : w.entries()) {
                claimed.remove(e.blob().id());
            }
        }
    }

    /**
     * Stores the open packs (at most one per blob type) and the index file covering every pack not yet indexed.
     * Call once, after all saves.
     */
    void flush() throws IOException {
        assembler.flush();
        publish();
    }

    long bytesStored() {
        return assembler.bytesStored();
    }

    void close() {
        assembler.close();
    }
}
