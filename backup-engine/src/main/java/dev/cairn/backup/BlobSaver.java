package dev.cairn.backup;

import dev.cairn.catalog.Catalog;
import dev.cairn.store.BlobId;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.PackAssembler;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.codec.BlobCodec;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stores blobs from many threads without storing any twice. Each thread packs into its own
 * {@link PackAssembler}; a blob is skipped when the catalog has it or another thread has claimed it in this run.
 * Claims are dropped once the blob's pack and index file are stored and the catalog lists it, so the set of
 * claims holds only blobs in open packs: memory is bounded by threads times pack size, not by the run's size.
 */
final class BlobSaver {
    private final Repository repo;
    private final Catalog catalog;
    private final Set<BlobId> claimed = ConcurrentHashMap.newKeySet();
    private final List<PackAssembler> assemblers = new CopyOnWriteArrayList<>();
    private final List<BlobCodec> codecs = new CopyOnWriteArrayList<>();
    private final ThreadLocal<PackAssembler> local;
    final AtomicLong dataBlobs = new AtomicLong();
    final AtomicLong treeBlobs = new AtomicLong();
    final AtomicLong dataAdded = new AtomicLong();

    BlobSaver(Repository repo, Catalog catalog) {
        this.repo = repo;
        this.catalog = catalog;
        this.local = ThreadLocal.withInitial(() -> {
            BlobCodec codec = repo.newCodec();
            PackAssembler a = new PackAssembler(repo.store(), codec, repo.config().packSize());
            codecs.add(codec);
            assemblers.add(a);
            return a;
        });
    }

    /** Stores the blob unless it is known; returns whether this call stored it. */
    boolean save(BlobType type, BlobId id, byte[] raw, int off, int len) throws IOException {
        if (catalog.contains(id) || !claimed.add(id)) {
            return false;
        }
        PackAssembler a = local.get();
        a.add(type, id, raw, off, len);
        publish(a);
        if (type == BlobType.DATA) {
            dataBlobs.incrementAndGet();
            dataAdded.addAndGet(len);
        } else {
            treeBlobs.incrementAndGet();
        }
        return true;
    }

    /** Moves entries whose pack and index file are stored into the catalog, then drops their claims. */
    private void publish(PackAssembler a) throws IOException {
        for (PackAssembler.WrittenIndex w : a.takeWritten()) {
            catalog.addIndexFile(w.indexFileId(), w.entries());
            for (IndexEntry e : w.entries()) {
                claimed.remove(e.blob().id());
            }
        }
    }

    /**
     * Stores every open pack and the index files covering them. Call once, after all saves. The threads' partial
     * packs are merged first, so a run ends with at most one partial pack per blob type and one index file.
     */
    void flush() throws IOException {
        if (assemblers.isEmpty()) {
            return;
        }
        PackAssembler last = assemblers.get(0);
        for (PackAssembler a : assemblers.subList(1, assemblers.size())) {
            a.mergeInto(last);
            publish(a);
        }
        last.flush();
        publish(last);
    }

    long bytesStored() {
        return assemblers.stream().mapToLong(PackAssembler::bytesStored).sum();
    }

    void close() {
        for (BlobCodec c : codecs) {
            c.close();
        }
    }
}
