package dev.cairn.store.pack;

import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.ObjectExistsException;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.Placement;
import dev.cairn.store.codec.BlobCodec;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Groups blobs into packs, one open pack per {@link BlobType}, stores each pack once the next blob would take it
 * past the pack size (header included: a pack, and its buffer, is never larger than the pack size unless one blob
 * alone is), and writes index files for stored packs: packs first, then the index that covers them. Blobs become
 * reported by {@link #takeWritten()} only after their index file is stored.
 *
 * <p>Made with a codec supplier, it is shared by many threads: each thread compresses and encrypts with its own
 * codec into its own scratch buffer, and only the append of the sealed bytes to the open pack is serialized. The
 * thread whose blob does not fit finishes and stores the full pack (outside the lock) while the others go on
 * filling a new one. Memory is one open pack per type plus one pack per thread being stored, however many threads add; a run
 * ends with at most one partial pack per type. Made with one codec, it must be used by one thread at a time.
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
    private final ThreadLocal<Local> local = new ThreadLocal<>();
    private final List<BlobCodec> owned = new CopyOnWriteArrayList<>();
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
        this(store, packSize, () -> codec, false);
    }

    /**
     * An assembler shared by any number of threads; each thread seals with a codec from {@code codecs}, made on
     * its first blob and closed by {@link #close}.
     */
    public PackAssembler(BlobStore store, Supplier<BlobCodec> codecs, int packSize) {
        this(store, packSize, codecs, true);
    }

    private PackAssembler(BlobStore store, int packSize, Supplier<BlobCodec> codecs, boolean ownsCodecs) {
        if (packSize < 1024) {
            throw new IllegalArgumentException("pack size " + packSize + " is below 1024 bytes");
        }
        this.store = store;
        this.packSize = packSize;
        this.codecs = codecs;
        this.ownsCodecs = ownsCodecs;
    }

    /** A thread's codec and the scratch buffer it seals into. */
    private static final class Local {
        final BlobCodec codec;
        byte[] scratch = new byte[64 * 1024];

        Local(BlobCodec codec) {
            this.codec = codec;
        }

        byte[] scratch(int n) {
            if (scratch.length < n) {
                scratch = new byte[Math.max(n, scratch.length * 2)];
            }
            return scratch;
        }
    }

    private Local local() {
        Local l = local.get();
        if (l == null) {
            BlobCodec c = codecs.get();
            if (ownsCodecs) {
                owned.add(c);
            }
            l = new Local(c);
            local.set(l);
        }
        return l;
    }

    /** Adds a blob; may store a pack (and an index file) when the open pack reaches the target size. */
    public void add(BlobType type, BlobId id, byte[] raw, int off, int len) throws IOException {
        Local l = local();
        byte[] sealed = l.scratch(l.codec.maxSealedLength(len));
        int n = l.codec.seal(type.kind(), id, raw, off, len, sealed, 0);
        append(l, type, id, sealed, 0, n, len);
    }

    /** Adds a blob that is already sealed ({@code b.length()} bytes of {@code src} from {@code off}). */
    public void addSealed(PackedBlob b, byte[] src, int off) throws IOException {
        append(local(), b.type(), b.id(), src, off, b.length(), b.rawLength());
    }

    private void append(Local l, BlobType type, BlobId id, byte[] src, int off, int len, int rawLen)
            throws IOException {
        PackWriter full = null;
        synchronized (lock) {
            PackWriter w = open.get(type);
            if (w != null && w.sizeWith(len) > packSize) {
                // The blob would take the pack past its size: the pack is done, the blob starts the next one.
                full = w;
                w = null;
            }
            if (w == null) {
                w = spare.isEmpty() ? PackWriter.forTarget(l.codec, packSize, rawLen) : spare.pop();
                open.put(type, w);
            }
            w.addSealed(type, id, src, off, len, rawLen);
        }
        if (full != null) {
            storePack(full, l.codec);
        }
    }

    /**
     * Finishes and stores {@code w} on the calling thread, straight from the writer's buffer, then recycles the
     * writer and records the pack's entries.
     */
    private void storePack(PackWriter w, BlobCodec codec) throws IOException {
        PackWriter.FinishedPack p = w.finish(codec);
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
            synchronized (lock) {
                if (spare.size() < SPARE_WRITERS) {
                    spare.push(w);
                }
            }
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
            writeIndex(due, codec);
        }
    }

    private void writeIndex(List<IndexEntry> entries, BlobCodec codec) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        ObjectName name = IndexFile.save(store, codec, entries);
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
        Local l = local();
        List<PackWriter> partial;
        synchronized (lock) {
            partial = new ArrayList<>(open.values());
            open.clear();
        }
        for (PackWriter w : partial) {
            if (!w.isEmpty()) {
                storePack(w, l.codec);
            }
        }
        List<IndexEntry> due;
        synchronized (lock) {
            due = List.copyOf(unindexed);
            unindexed.clear();
        }
        writeIndex(due, l.codec);
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
        for (BlobCodec c : owned) {
            c.close();
        }
        owned.clear();
    }
}
