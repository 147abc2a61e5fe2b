package dev.cairn.store.pack;

import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one pack in memory: sealed blobs appended back to back, then on {@link #finish} the sealed header and
 * its length. Every finished pack is parsed back and each blob authenticated before it is returned, so a pack
 * that leaves the writer is known to be readable. Not thread-safe; reusable after {@code finish}, and a finished
 * pack's bytes stay in the writer's buffer (no copy) until the writer is used again.
 *
 * <p>Layout (version 1): {@code blob* || sealed header || header length (u32, big-endian)}; the header's
 * plaintext is {@code version (u8) || count (u32) || (type u8, length u32, raw length u32, id[32])*}, and each
 * blob's offset is the sum of the lengths before it.
 */
public final class PackWriter {
    static final int VERSION = 1;
    static final int ENTRY_SIZE = 1 + 4 + 4 + BlobId.LENGTH;
    static final int HEADER_PREFIX = 1 + 4;

    private final BlobCodec codec;
    private final GrowableBuffer buf;
    private final List<PackedBlob> blobs = new ArrayList<>();
    private long rawBytes;

    public PackWriter(BlobCodec codec, int initialCapacity) {
        this.codec = codec;
        this.buf = new GrowableBuffer(initialCapacity);
    }

    /**
     * A writer for packs of at most {@code targetSize} bytes, header included (see {@link #sizeWith}): its buffer
     * grows to the target and no further unless one blob alone needs it.
     */
    public static PackWriter forTarget(BlobCodec codec, int targetSize, int firstBlobLength) {
        return new PackWriter(codec, Math.min(targetSize, codec.maxSealedLength(firstBlobLength) + 1024), targetSize);
    }

    private PackWriter(BlobCodec codec, int initialCapacity, int softCapacity) {
        this.codec = codec;
        this.buf = new GrowableBuffer(initialCapacity, softCapacity);
    }

    /** Seals {@code len} bytes of {@code raw} from {@code off} and appends them as blob {@code id}. */
    public void add(BlobType type, BlobId id, byte[] raw, int off, int len) {
        buf.ensureFree(codec.maxSealedLength(len));
        int offset = buf.size();
        int n = codec.seal(type.kind(), id, raw, off, len, buf.array(), offset);
        buf.advance(n);
        blobs.add(new PackedBlob(type, id, offset, n, len));
        rawBytes += len;
    }

    /**
     * Appends blob {@code id}, sealed elsewhere: {@code len} bytes of {@code src} from {@code off}, which hold
     * {@code rawLength} bytes of content. {@link #finish} authenticates it like every other.
     */
    public void addSealed(BlobType type, BlobId id, byte[] src, int off, int len, int rawLength) {
        buf.put(src, off, len);
        blobs.add(new PackedBlob(type, id, buf.size() - len, len, rawLength));
        rawBytes += rawLength;
    }

    /**
     * The pack's length if it were finished after one more blob of {@code sealedLength} bytes: the blobs, the
     * largest the sealed header can be, and its length field. The buffer never needs more than this.
     */
    public long sizeWith(int sealedLength) {
        int header = HEADER_PREFIX + ENTRY_SIZE * (blobs.size() + 1);
        return (long) buf.size() + sealedLength + codec.maxSealedLength(header) + 4;
    }

    /** Bytes of sealed blobs so far. */
    public int size() {
        return buf.size();
    }

    /** Raw (uncompressed) bytes of the blobs so far. */
    public long rawBytes() {
        return rawBytes;
    }

    public int count() {
        return blobs.size();
    }

    public boolean isEmpty() {
        return blobs.isEmpty();
    }

    /**
     * Appends the header, checks the whole pack by parsing it back, and returns it; the writer is then empty, and
     * the pack's bytes are valid until its next {@code add}.
     *
     * @throws IllegalStateException if the pack does not read back as written (a bug or failing memory, never
     *     stored)
     */
    public FinishedPack finish() {
        return finish(codec);
    }

    /**
     * {@link #finish()}, sealing the header and checking the blobs with {@code codec} (same key) instead of the
     * writer's own: a writer filled by several threads is finished by the one that filled it, with its codec.
     */
    public FinishedPack finish(BlobCodec codec) {
        if (blobs.isEmpty()) {
            throw new IllegalStateException("an empty pack is never written");
        }
        byte[] header = new byte[HEADER_PREFIX + ENTRY_SIZE * blobs.size()];
        header[0] = VERSION;
        putInt(header, 1, blobs.size());
        int p = HEADER_PREFIX;
        for (PackedBlob b : blobs) {
            header[p] = (byte) b.type().code();
            putInt(header, p + 1, b.length());
            putInt(header, p + 5, b.rawLength());
            b.id().copyTo(header, p + 9);
            p += ENTRY_SIZE;
        }
        int sealedLen = codec.seal(BlobKind.PACK_HEADER, null, header, 0, header.length,
                reserve(codec.maxSealedLength(header.length)), buf.size());
        buf.advance(sealedLen);
        buf.putInt(sealedLen);
        byte[] bytes = buf.array();
        int length = buf.size();
        List<PackedBlob> written = List.copyOf(blobs);
        try {
            // Parsed back from the sealed bytes, entry by entry against the list (no second list of 100,000
            // objects for a pack of small blobs), and every blob authenticated where the header puts it.
            PackReader.checkHeader(bytes, length, codec, written, "new pack");
            for (PackedBlob b : written) {
                codec.verify(b.type().kind(), b.id(), bytes, (int) b.offset(), b.length(), "new pack blob " + b.id());
            }
        } catch (CorruptObjectException e) {
            throw new IllegalStateException("new pack does not read back: " + e.getMessage(), e);
        }
        long raw = rawBytes;
        buf.clear();
        blobs.clear();
        rawBytes = 0;
        return new FinishedPack(BlobId.of(sha256(bytes, length)), bytes, length, written, raw);
    }

    private byte[] reserve(int n) {
        buf.ensureFree(n + 4);
        return buf.array();
    }

    static void putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
    }

    static byte[] sha256(byte[] bytes) {
        return sha256(bytes, bytes.length);
    }

    static byte[] sha256(byte[] bytes, int length) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(bytes, 0, length);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A complete pack: its id (SHA-256 of the bytes), the bytes (the first {@code length} of {@code buffer}, the
     * writer's own, valid until the writer is used again), and what it holds.
     */
    public record FinishedPack(BlobId id, byte[] buffer, int length, List<PackedBlob> blobs, long rawBytes) {
        /** A copy of the pack's bytes, for a caller that keeps them past the writer's next use. */
        public byte[] bytes() {
            return java.util.Arrays.copyOf(buffer, length);
        }
    }
}
