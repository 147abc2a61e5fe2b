package dev.cairn.store.pack;

import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.ObjectExistsException;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.Placement;
import dev.cairn.store.codec.BlobCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Groups blobs into packs, one open pack per {@link BlobType}, stores each pack once it reaches the target size,
 * and writes index files for stored packs: packs first, then the index that covers them. Blobs become
 * reported by {@link #takeWritten()} only after their index file is stored. Not thread-safe.
 */
public final class PackAssembler {
    /** Index files are written once this many entries wait, and on {@link #flush}. */
    static final int INDEX_ENTRIES = 50_000;

    private final BlobStore store;
    private final BlobCodec codec;
    private final int packSize;
    private final Map<BlobType, PackWriter> open = new EnumMap<>(BlobType.class);
    private final List<IndexEntry> unindexed = new ArrayList<>();
    private final List<WrittenIndex> written = new ArrayList<>();
    private long packsStored;
    private long bytesStored;

    public PackAssembler(BlobStore store, BlobCodec codec, int packSize) {
        if (packSize < 1024) {
            throw new IllegalArgumentException("pack size " + packSize + " is below 1024 bytes");
        }
        this.store = store;
        this.codec = codec;
        this.packSize = packSize;
    }

    /** Adds a blob; may store a pack (and an index file) when the open pack reaches the target size. */
    public void add(BlobType type, BlobId id, byte[] raw, int off, int len) throws IOException {
        PackWriter w = open.computeIfAbsent(type, t -> PackWriter.forTarget(codec, packSize, len));
        w.add(type, id, raw, off, len);
        if (w.size() >= packSize) {
            storePack(w);
        }
        if (unindexed.size() >= INDEX_ENTRIES) {
            writeIndex();
        }
    }

    /** Adds a blob that is already sealed ({@code b.length()} bytes of {@code src} from {@code off}). */
    public void addSealed(PackedBlob b, byte[] src, int off) throws IOException {
        PackWriter w = open.computeIfAbsent(b.type(), t -> PackWriter.forTarget(codec, packSize, b.length()));
        w.addSealed(b, src, off);
        if (w.size() >= packSize) {
            storePack(w);
        }
        if (unindexed.size() >= INDEX_ENTRIES) {
            writeIndex();
        }
    }

    private void storePack(PackWriter w) throws IOException {
        PackWriter.FinishedPack p = w.finish();
        try {
            boolean content = !p.blobs().isEmpty() && p.blobs().get(0).type() == BlobType.DATA;
            store.put(ObjectName.of(ObjectType.DATA, p.id().hex()), p.bytes(),
                    content ? Placement.BULK : Placement.STANDARD);
            bytesStored += p.bytes().length;
            packsStored++;
        } catch (ObjectExistsException same) {
            // Identical bytes are stored already (named by content).
        }
        for (PackedBlob b : p.blobs()) {
            unindexed.add(new IndexEntry(p.id(), b));
        }
    }

    private void writeIndex() throws IOException {
        if (unindexed.isEmpty()) {
            return;
        }
        ObjectName name = IndexFile.save(store, codec, unindexed);
        written.add(new WrittenIndex(name.id(), List.copyOf(unindexed)));
        unindexed.clear();
    }

    /** Stores every open pack, then an index file covering every stored pack not yet indexed. */
    public void flush() throws IOException {
        for (PackWriter w : open.values()) {
            if (!w.isEmpty()) {
                storePack(w);
            }
        }
        writeIndex();
    }

    /**
     * Hands this assembler's open packs and its stored-but-unindexed packs to {@code target}, which stores them
     * with its own (so the last partial packs of many threads become few packs and one index file). Entries this
     * assembler has already indexed stay with it for {@link #takeWritten()}.
     */
    public void mergeInto(PackAssembler target) throws IOException {
        for (Map.Entry<BlobType, PackWriter> e : open.entrySet()) {
            PackWriter from = e.getValue();
            while (!from.isEmpty()) {
                PackWriter to = target.open.computeIfAbsent(e.getKey(),
                        t -> PackWriter.forTarget(target.codec, target.packSize, packSize / 16));
                from.moveTo(to, target.packSize);
                if (to.size() >= target.packSize) {
                    target.storePack(to);
                }
            }
        }
        target.unindexed.addAll(unindexed);
        unindexed.clear();
    }

    /** An index file this assembler stored, and the entries it covers. */
    public record WrittenIndex(String indexFileId, List<IndexEntry> entries) {
    }

    /**
     * Index files stored since the last call, with their entries: those blobs are durable (pack and index
     * stored). The list is handed over.
     */
    public List<WrittenIndex> takeWritten() {
        List<WrittenIndex> out = List.copyOf(written);
        written.clear();
        return out;
    }

    public long packsStored() {
        return packsStored;
    }

    public long bytesStored() {
        return bytesStored;
    }
}
