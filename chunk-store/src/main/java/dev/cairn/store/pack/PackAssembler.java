package dev.cairn.store.pack;

import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.ObjectExistsException;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.Placement;
import dev.cairn.store.codec.BlobCodec;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Groups blobs into packs, one open pack per {@link BlobType}, stores each pack once the next blob would take it
 * past the pack size (header included: a pack, and its buffer, is never larger than the pack size unless one blob
 * alone is), and writes index files for stored packs: packs first, then the index that covers them. Blobs become
 * reported by {@link #takeWritten()} only after their index file is stored.
 *
 * <p>Made with a codec supplier, it is shared by any number of threads: a thread borrows one of at most
 * {@code maxCodecs} codecs (each with its scratch buffer) to compress and encrypt, and only the append of the
 * sealed bytes to the open pack is serialized. Sealing is CPU work, so a few codecs serve many threads (a backup's
 * scan threads are many to keep file reads in flight): each codec holds compression state and a scratch buffer as
 * large as the largest blob it sealed, and one per thread cost megabytes per thread for nothing. A codec is never
 * held while a pack or index file is uploaded. The thread whose blob does not fit finishes the full pack and stores
 * it (outside the lock) while the others go on filling a new one. Memory is one open pack per type plus one pack
 * per thread being stored, however many threads add; a run ends with at most one partial pack per type. Made with
 * one codec, it must be used by one thread at a time.
 */
public final class PackAssembler implements AutoCloseable {
    /** Index files are written once this many entries wait, and on {@link #flush}. */
    static final int INDEX_ENTRIES = 50_000;
    /** Finished writers kept for reuse, so that steady packing allocates no new pack buffers. */
    private static final int SPARE_WRITERS = 2;

    private final BlobStore store;
    private final int packSize;
    private final Supplier<BlobCodec> codecs;
    private final boolean ownsCodecs;
    private final int maxCodecs;
    /** Codecs not in use; guarded by itself. */
    private final ArrayDeque<Sealer> idle = new ArrayDeque<>();
    /** Every codec made, to close; guarded by {@link #idle}. */
    private final List<Sealer> made = new ArrayList<>();
    private final Object lock = new Object();
    private final Map<BlobType, PackWriter> open = new EnumMap<>(BlobType.class);
    private final ArrayDeque<PackWriter> spare = new ArrayDeque<>();
    private final List<IndexEntry> unindexed = new ArrayList<>();
    private final List<WrittenIndex> written = new ArrayList<>();
    /** Whether {@link #written} may hold entries: read without the lock on every blob, set under it. */
    private volatile boolean hasWritten;
    private final AtomicLong packsStored = new AtomicLong();
    private final AtomicLong bytesStored = new AtomicLong();

    /** An assembler for one thread at a time, sealing with {@code codec} (which the caller closes). */
    public PackAssembler(BlobStore store, BlobCodec codec, int packSize) {
        this(store, packSize, () -> codec, false, 1);
    }

    /**
     * An assembler shared by any number of threads, sealing with at most {@code maxCodecs} codecs from
     * {@code codecs}, made as threads need them and closed by {@link #close}.
     */
    public PackAssembler(BlobStore store, Supplier<BlobCodec> codecs, int packSize, int maxCodecs) {
        this(store, packSize, codecs, true, maxCodecs);
    }

    private PackAssembler(BlobStore store, int packSize, Supplier<BlobCodec> codecs, boolean ownsCodecs,
            int maxCodecs) {
        if (packSize < 1024) {
            throw new IllegalArgumentException("pack size " + packSize + " is below 1024 bytes");
        }
        if (maxCodecs < 1) {
            throw new IllegalArgumentException("codecs " + maxCodecs + " is below 1");
        }
        this.store = store;
        this.packSize = packSize;
        this.codecs = codecs;
        this.ownsCodecs = ownsCodecs;
        this.maxCodecs = maxCodecs;
    }

    /** A codec and the scratch buffer it seals into. */
    private static final class Sealer {
        final BlobCodec codec;
        byte[] scratch = new byte[64 * 1024];

        Sealer(BlobCodec codec) {
            this.codec = codec;
        }

        byte[] scratch(int n) {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            return scratch;
        }
    }

    /** Borrows an idle codec, makes one if fewer than the maximum exist, or waits for one. */
    private Sealer borrow() throws IOException {
        synchronized (idle) {
            while (idle.isEmpty() && made.size() >= maxCodecs) {
                try {
                    idle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for a codec");
                }
            }
            if (!idle.isEmpty()) {
                return idle.pop();
            }
            Sealer s = new Sealer(codecs.get());
            made.add(s);
            return s;
        }
    }

    /** Runs {@code work} with a borrowed codec, given back as soon as it returns (uploads come after). */
    private <T> T withSealer(Function<Sealer, T> work) throws IOException {
        Sealer s = borrow();
        try {
            return work.apply(s);
        } finally {
            synchronized (idle) {
                idle.push(s);
                idle.notify();
            }
        }
    }

    /** Adds a blob; may store a pack (and an index file) when the open pack is full. */
    public void add(BlobType type, BlobId id, byte[] raw, int off, int len) throws IOException {
        storeIfFull(withSealer(s -> {
            byte[] sealed = s.scratch(s.codec.maxSealedLength(len));
            int n = s.codec.seal(type.kind(), id, raw, off, len, sealed, 0);
            return append(s, type, id, sealed, 0, n, len);
        }));
    }

    /** Adds a blob that is already sealed ({@code b.length()} bytes of {@code src} from {@code off}). */
    public void addSealed(PackedBlob b, byte[] src, int off) throws IOException {
        storeIfFull(withSealer(s -> append(s, b.type(), b.id(), src, off, b.length(), b.rawLength())));
    }

    private void storeIfFull(Full full) throws IOException {
        if (full != null) {
            store(full);
        }
    }

    /** A finished pack still in its writer's buffer, to store before the writer is used again. */
    private record Full(PackWriter writer, PackWriter.FinishedPack pack) {
    }

    /**
     * Appends the sealed blob to the open pack of its type; if it does not fit there, that pack is finished (with
     * the borrowed codec) and returned for the caller to store once the codec is given back.
     */
    private Full append(Sealer s, BlobType type, BlobId id, byte[] src, int off, int len, int rawLen) {
        PackWriter full = null;
        synchronized (lock) {
            PackWriter w = open.get(type);
            if (w != null && w.sizeWith(len) > packSize) {
                // The blob would take the pack past its size: the pack is done, the blob starts the next one.
                full = w;
                w = null;
            }
            if (w == null) {
                w = spare.isEmpty() ? PackWriter.forTarget(s.codec, packSize, rawLen) : spare.pop();
                open.put(type, w);
            }
            w.addSealed(type, id, src, off, len, rawLen);
        }
        // A writer whose pack fails its check (it throws) is dropped, never reused.
        return full == null ? null : new Full(full, full.finish(s.codec));
    }

    /**
     * Stores a finished pack straight from its writer's buffer, then recycles the writer and records the pack's
     * entries; writes an index file when enough entries wait.
     */
    private void store(Full full) throws IOException {
        PackWriter.FinishedPack p = full.pack();
        try {
            boolean content = !p.blobs().isEmpty() && p.blobs().get(0).type() == BlobType.DATA;
            store.put(ObjectName.of(ObjectType.DATA, p.id().hex()), p.buffer(), p.length(),
                    content ? Placement.BULK : Placement.STANDARD);
            bytesStored.addAndGet(p.length());
            packsStored.incrementAndGet();
        } catch (ObjectExistsException same) {
            // Identical bytes are stored already (named by content).
        } finally {
            // Only now: the pack's bytes were the writer's buffer.
            recycle(full.writer());
        }
        List<IndexEntry> due = null;
        synchronized (lock) {
            for (PackedBlob b : p.blobs()) {
                unindexed.add(new IndexEntry(p.id(), b));
            }
            if (unindexed.size() >= INDEX_ENTRIES) {
                due = List.copyOf(unindexed);
                unindexed.clear();
            }
        }
        if (due != null) {
            writeIndex(due);
        }
    }

    private void recycle(PackWriter w) {
        synchronized (lock) {
            if (spare.size() < SPARE_WRITERS) {
                spare.push(w);
            }
        }
    }

    /** Seals an index file with a borrowed codec, gives the codec back, then stores the file. */
    private void writeIndex(List<IndexEntry> entries) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        ObjectName name = SealedObjects.store(store, withSealer(s -> IndexFile.seal(s.codec, entries)));
        synchronized (lock) {
            written.add(new WrittenIndex(name.id(), entries));
            hasWritten = true;
        }
    }

    /**
     * Stores every open pack, then an index file covering every stored pack not yet indexed. Call when no other
     * thread is adding.
     */
    public void flush() throws IOException {
        List<PackWriter> partial;
        synchronized (lock) {
            partial = new ArrayList<>(open.values());
            open.clear();
        }
        for (PackWriter w : partial) {
            if (!w.isEmpty()) {
                store(withSealer(s -> new Full(w, w.finish(s.codec))));
            }
        }
        List<IndexEntry> due;
        synchronized (lock) {
            due = List.copyOf(unindexed);
            unindexed.clear();
        }
        writeIndex(due);
    }

    /** An index file this assembler stored, and the entries it covers. */
    public record WrittenIndex(String indexFileId, List<IndexEntry> entries) {
    }

    /**
     * Index files stored since the last call, with their entries: those blobs are durable (pack and index
     * stored). The list is handed over.
     */
    public List<WrittenIndex> takeWritten() {
        if (!hasWritten) {
            return List.of(); // the common case, called after every blob: no lock taken
        }
        synchronized (lock) {
            hasWritten = false;
            List<WrittenIndex> out = List.copyOf(written);
            written.clear();
            return out;
        }
    }

    public long packsStored() {
        return packsStored.get();
    }

    public long bytesStored() {
        return bytesStored.get();
    }

    /** Closes the codecs this assembler made; a codec passed in stays the caller's. */
    @Override
    public void close() {
        synchronized (idle) {
            if (ownsCodecs) {
                for (Sealer s : made) {
                    s.codec.close();
                }
            }
            made.clear();
            idle.clear();
        }
    }
}
