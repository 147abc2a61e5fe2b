package dev.cairn.store.pack;

import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads pack headers, from bytes in memory or from the tail of a stored pack. */
public final class PackReader {
    /** The tail read first; most headers fit, larger ones take a second read. */
    private static final int FIRST_READ = 64 * 1024;

    private PackReader() {
    }

    /** Parses the header of a whole pack in memory. */
    public static List<PackedBlob> parse(byte[] pack, BlobCodec codec, String what) throws CorruptObjectException {
        return parse(pack, pack.length, codec, what);
    }

    /** Parses the header of a pack held in the first {@code length} bytes of {@code pack}. */
    public static List<PackedBlob> parse(byte[] pack, int length, BlobCodec codec, String what)
            throws CorruptObjectException {
        int headerStart = headerStart(pack, length, what);
        return decodeHeader(openHeader(pack, length, headerStart, codec, what), headerStart, what);
    }

    /** Where the sealed header of the pack in the first {@code length} bytes of {@code pack} starts. */
    private static int headerStart(byte[] pack, int length, String what) throws CorruptObjectException {
        if (length < 4) {
            throw new CorruptObjectException(what, "only " + length + " bytes");
        }
        int headerLen = getInt(pack, length - 4);
        long headerStart = (long) length - 4 - headerLen;
        if (headerLen <= 0 || headerStart < 0) {
            throw new CorruptObjectException(what, "header length " + headerLen + " does not fit in " + length
                    + " bytes (truncated?)");
        }
        return (int) headerStart;
    }

    private static byte[] openHeader(byte[] pack, int length, int headerStart, BlobCodec codec, String what)
            throws CorruptObjectException {
        return codec.open(BlobKind.PACK_HEADER, null, pack, headerStart, length - 4 - headerStart, what + " header");
    }

    /** Reads the header of a stored pack with one or two ranged reads of its tail. */
    public static List<PackedBlob> readHeader(BlobStore store, ObjectInfo pack, BlobCodec codec) throws IOException {
        String what = pack.name().toString();
        long size = pack.size();
        if (size < 4) {
            throw new CorruptObjectException(what, "only " + size + " bytes");
        }
        int first = (int) Math.min(size, FIRST_READ);
        byte[] tail = store.get(pack.name(), size - first, first);
        int headerLen = getInt(tail, tail.length - 4);
        long headerStart = size - 4 - headerLen;
        if (headerLen <= 0 || headerStart < 0) {
            throw new CorruptObjectException(what, "header length " + headerLen + " does not fit in " + size
                    + " bytes (truncated?)");
        }
        byte[] sealed;
        int off;
        if (headerLen + 4 <= first) {
            sealed = tail;
            off = first - 4 - headerLen;
        } else {
            sealed = store.get(pack.name(), headerStart, headerLen);
            off = 0;
        }
        return decodeHeader(codec.open(BlobKind.PACK_HEADER, null, sealed, off, headerLen, what + " header"),
                headerStart, what);
    }

    private static List<PackedBlob> decodeHeader(byte[] h, long headerStart, String what)
            throws CorruptObjectException {
        int entries = (h.length - PackWriter.HEADER_PREFIX) / PackWriter.ENTRY_SIZE;
        List<PackedBlob> out = new ArrayList<>(Math.max(0, entries));
        decodeHeader(h, headerStart, what, (i, type, p, offset, len, raw) ->
                out.add(new PackedBlob(type, BlobId.of(h, p), offset, len, raw)));
        return out;
    }

    /** One header entry, its id the 32 bytes of the header from {@code idOffset}. */
    interface EntrySink {
        void accept(int index, BlobType type, int idOffset, long offset, int length, int rawLength)
                throws CorruptObjectException;
    }

    /**
     * Decodes a header's plaintext entry by entry, checking its version, count, entries and that the blobs end
     * where the header starts; returns the number of entries.
     */
    static int decodeHeader(byte[] h, long headerStart, String what, EntrySink sink) throws CorruptObjectException {
        if (h.length < PackWriter.HEADER_PREFIX || h[0] != PackWriter.VERSION) {
            throw new CorruptObjectException(what, "unknown header version " + (h.length > 0 ? h[0] : -1));
        }
        int count = getInt(h, 1);
        if (count <= 0 || (long) count * PackWriter.ENTRY_SIZE != h.length - PackWriter.HEADER_PREFIX) {
            throw new CorruptObjectException(what, "header of " + h.length + " bytes does not hold " + count
                    + " entries");
        }
        long offset = 0;
        int p = PackWriter.HEADER_PREFIX;
        for (int i = 0; i < count; i++, p += PackWriter.ENTRY_SIZE) {
            BlobType type = BlobType.ofCode(h[p]);
            int len = getInt(h, p + 1);
            int raw = getInt(h, p + 5);
            if (type == null || len <= 0 || raw < 0) {
                throw new CorruptObjectException(what, "header entry " + i + " is invalid");
            }
            sink.accept(i, type, p + 9, offset, len, raw);
            offset += len;
        }
        if (offset != headerStart) {
            throw new CorruptObjectException(what, "blobs end at " + offset + " but the header starts at "
                    + headerStart);
        }
        return count;
    }

    /**
     * Checks that the pack in the first {@code length} bytes of {@code pack} has a header that opens and lists
     * exactly {@code expected}, in order, without building a list of its own.
     *
     * @throws CorruptObjectException if the header does not open, is malformed, or lists other blobs
     */
    static void checkHeader(byte[] pack, int length, BlobCodec codec, List<PackedBlob> expected, String what)
            throws CorruptObjectException {
        int headerStart = headerStart(pack, length, what);
        byte[] h = openHeader(pack, length, headerStart, codec, what);
        int count = decodeHeader(h, headerStart, what, (i, type, p, offset, len, raw) -> {
            PackedBlob b = i < expected.size() ? expected.get(i) : null;
            if (b == null || b.type() != type || b.offset() != offset || b.length() != len || b.rawLength() != raw
                    || !b.id().equalsBytes(h, p)) {
                throw new CorruptObjectException(what, "header entry " + i + " is not the blob written");
            }
        });
        if (count != expected.size()) {
            throw new CorruptObjectException(what, "header lists " + count + " blobs, " + expected.size()
                    + " were written");
        }
    }

    static int getInt(byte[] b, int p) {
        return (b[p] & 0xff) << 24 | (b[p + 1] & 0xff) << 16 | (b[p + 2] & 0xff) << 8 | (b[p + 3] & 0xff);
    }
}
