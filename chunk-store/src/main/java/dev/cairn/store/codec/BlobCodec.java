package dev.cairn.store.codec;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.zip.CRC32C;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals blobs for storage and opens them again: compress (when it shrinks), then encrypt.
 *
 * <p>The payload is a codec byte followed by the body: {@code 0} and the raw bytes, or {@code 1}, the raw
 * length as a 4-byte big-endian integer and one zstd frame. Encrypted, the sealed form is
 * {@code nonce(12) || AES-256-GCM(payload) || tag(16)} with associated data {@code kind code || id} (the id is
 * absent for whole objects, which are named by the hash of their sealed bytes). Unencrypted, it is
 * {@code payload || CRC-32C(associated data || payload)} (4 bytes big-endian): damage is detected, tampering is
 * not.
 *
 * <p>Not thread-safe: compression contexts and scratch space are reused across calls. One per thread.
 */
public final class BlobCodec implements AutoCloseable {
    static final int NONCE = 12;
    static final int TAG = 16;
    static final int CRC = 4;
    /** Bytes handed to the cipher per call when sealing. */
    static final int SLICE = 16 * 1024;
    private static final int RAW = 0;
    private static final int ZSTD = 1;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;
    private final Compression compression;
    private final Cipher cipher;
    private final ZstdCompressCtx zc;
    private final ZstdDecompressCtx zd;
    private final byte[] nonce = new byte[NONCE];
    private final byte[] aad = new byte[1 + BlobId.LENGTH];
    /**
     * Kept between calls and grown (doubling) to fit the largest data or tree blob sealed or opened; whole objects
     * (index files, pack headers, snapshots) use a one-off array instead, so that a codec that once sealed a 7 MB
     * index file does not keep 10 MB for the rest of the run.
     */
    private byte[] scratch = new byte[64 * 1024];

    BlobCodec(SecretKey key, Compression compression) {
        this.key = key;
        this.compression = compression;
        try {
            this.cipher = key == null ? null : Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
        this.zc = new ZstdCompressCtx();
        if (compression.enabled()) {
            zc.setLevel(compression.level());
        }
        this.zd = new ZstdDecompressCtx();
    }

    public boolean encrypted() {
        return key != null;
    }

    /** Bytes that sealing adds beyond the payload (nonce and tag, or the checksum). */
    public int overhead() {
        return key == null ? CRC : NONCE + TAG;
    }

    /** An upper bound for the sealed size of {@code rawLength} bytes. */
    public int maxSealedLength(int rawLength) {
        return overhead() + 1 + 4 + (int) Math.max(rawLength, Zstd.compressBound(rawLength));
    }

    /** Seals {@code raw} into a new array. */
    public byte[] seal(BlobKind kind, BlobId id, byte[] raw) {
        byte[] out = new byte[maxSealedLength(raw.length)];
        int n = seal(kind, id, raw, 0, raw.length, out, 0);
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Seals {@code len} bytes of {@code raw} from {@code off} into {@code out} at {@code outOff}, which must have
     * room for {@link #maxSealedLength}. Returns the sealed length.
     */
    public int seal(BlobKind kind, BlobId id, byte[] raw, int off, int len, byte[] out, int outOff) {
        byte[] buf = buffer(kind, 1 + 4 + (int) Math.max(len, Zstd.compressBound(len)));
        int payloadLen = payload(buf, raw, off, len);
        int aadLen = aad(kind, id);
        if (key == null) {
            System.arraycopy(buf, 0, out, outOff, payloadLen);
            CRC32C crc = new CRC32C();
            crc.update(aad, 0, aadLen);
            crc.update(buf, 0, payloadLen);
            int c = (int) crc.getValue();
            int p = outOff + payloadLen;
            out[p] = (byte) (c >>> 24);
            out[p + 1] = (byte) (c >>> 16);
            out[p + 2] = (byte) (c >>> 8);
            out[p + 3] = (byte) c;
            return payloadLen + CRC;
        }
        RANDOM.nextBytes(nonce);
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG * 8, nonce));
            cipher.updateAAD(aad, 0, aadLen);
            System.arraycopy(nonce, 0, out, outOff, NONCE);
            // Fed in slices: many short calls get the JIT to compile the GCM intrinsics within a second of
            // start-up, where one call per chunk leaves them interpreted (about 50 MB/s) for many seconds.
            int n = 0;
            int p = 0;
            while (payloadLen - p > SLICE) {
                n += cipher.update(buf, p, SLICE, out, outOff + NONCE + n);
                p += SLICE;
            }
            n += cipher.doFinal(buf, p, payloadLen - p, out, outOff + NONCE + n);
            return NONCE + n;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** Writes codec byte and body into {@code buf}, which has room for the bound; returns the payload length. */
    private int payload(byte[] buf, byte[] raw, int off, int len) {
        if (compression.enabled() && len > 0) {
            int n = (int) zc.compressByteArray(buf, 5, buf.length - 5, raw, off, len);
            if (n + 4 < len) {
                buf[0] = ZSTD;
                buf[1] = (byte) (len >>> 24);
                buf[2] = (byte) (len >>> 16);
                buf[3] = (byte) (len >>> 8);
                buf[4] = (byte) len;
                return 5 + n;
            }
        }
        buf[0] = RAW;
        System.arraycopy(raw, off, buf, 1, len);
        return 1 + len;
    }

    /** An array of at least {@code n} bytes to work in for a {@code kind}: the scratch, or a one-off array. */
    private byte[] buffer(BlobKind kind, int n) {
        if (scratch.length < n) {
            if (kind != BlobKind.DATA && kind != BlobKind.TREE) {
                return new byte[n];
            }
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        return scratch;
    }

    /** Bytes of scratch kept between calls (for tests). */
    int retainedScratch() {
        return scratch.length;
    }

    private int aad(BlobKind kind, BlobId id) {
        aad[0] = (byte) kind.code();
        if (id == null) {
            return 1;
        }
        id.copyTo(aad, 1);
        return 1 + BlobId.LENGTH;
    }

    /**
     * Opens a sealed blob and returns its raw bytes.
     *
     * @param what names the blob or object in the message of a {@link CorruptObjectException}
     * @throws CorruptObjectException if authentication, the checksum or decompression fails
     */
    public byte[] open(BlobKind kind, BlobId id, byte[] sealed, int off, int len, String what)
            throws CorruptObjectException {
        if (key == null) {
            int payloadLen = checkPlain(kind, id, sealed, off, len, what);
            return body(sealed, off, payloadLen, what);
        }
        byte[] plain = buffer(kind, len - NONCE - TAG);
        return body(plain, 0, decrypt(kind, id, sealed, off, len, plain, what), what);
    }

    /** Opens a whole sealed array. */
    public byte[] open(BlobKind kind, BlobId id, byte[] sealed, String what) throws CorruptObjectException {
        return open(kind, id, sealed, 0, sealed.length, what);
    }

    /**
     * Checks that a sealed blob authenticates (or, unencrypted, that its checksum holds) without decompressing.
     *
     * @throws CorruptObjectException if it does not
     */
    public void verify(BlobKind kind, BlobId id, byte[] sealed, int off, int len, String what)
            throws CorruptObjectException {
        if (key == null) {
            checkPlain(kind, id, sealed, off, len, what);
        } else {
            decrypt(kind, id, sealed, off, len, buffer(kind, len - NONCE - TAG), what);
        }
    }

    private int checkPlain(BlobKind kind, BlobId id, byte[] sealed, int off, int len, String what)
            throws CorruptObjectException {
        if (len < 1 + CRC) {
            throw new CorruptObjectException(what, "only " + len + " bytes");
        }
        int aadLen = aad(kind, id);
        int payloadLen = len - CRC;
        CRC32C crc = new CRC32C();
        crc.update(aad, 0, aadLen);
        crc.update(sealed, off, payloadLen);
        int stored = ByteBuffer.wrap(sealed, off + payloadLen, CRC).order(ByteOrder.BIG_ENDIAN).getInt();
        if ((int) crc.getValue() != stored) {
            throw new CorruptObjectException(what, "checksum mismatch");
        }
        return payloadLen;
    }

    /** Decrypts into {@code plain}, which has room for {@code len - NONCE - TAG} bytes; returns the payload length. */
    private int decrypt(BlobKind kind, BlobId id, byte[] sealed, int off, int len, byte[] plain, String what)
            throws CorruptObjectException {
        if (len < NONCE + TAG + 1) {
            throw new CorruptObjectException(what, "only " + len + " bytes");
        }
        if (len >= CipherWarmUp.BULK) {
            // Bulk decryption is starting (a restore, or packs being verified): get the JIT going.
            CipherWarmUp.start();
        }
        int aadLen = aad(kind, id);
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG * 8, sealed, off, NONCE));
            cipher.updateAAD(aad, 0, aadLen);
            return cipher.doFinal(sealed, off + NONCE, len - NONCE, plain, 0);
        } catch (AEADBadTagException e) {
            throw new CorruptObjectException(what, "authentication failed");
        } catch (GeneralSecurityException e) {
            throw new CorruptObjectException(what, "decryption failed: " + e.getMessage(), e);
        }
    }

    private byte[] body(byte[] p, int off, int len, String what) throws CorruptObjectException {
        if (len < 1) {
            throw new CorruptObjectException(what, "empty payload");
        }
        int codec = p[off];
        if (codec == RAW) {
            return Arrays.copyOfRange(p, off + 1, off + len);
        }
        if (codec != ZSTD || len < 5) {
            throw new CorruptObjectException(what, "unknown codec " + codec);
        }
        int rawLen = ByteBuffer.wrap(p, off + 1, 4).order(ByteOrder.BIG_ENDIAN).getInt();
        if (rawLen < 0) {
            throw new CorruptObjectException(what, "negative raw length");
        }
        byte[] raw = new byte[rawLen];
        try {
            int n = (int) zd.decompressByteArray(raw, 0, rawLen, p, off + 5, len - 5);
            if (n != rawLen) {
                throw new CorruptObjectException(what, "decompressed to " + n + " bytes, expected " + rawLen);
            }
        } catch (ZstdException e) {
            throw new CorruptObjectException(what, "zstd: " + e.getMessage(), e);
        }
        return raw;
    }

    /**
     * Starts compiling the decryption path in the background, for a caller about to open many blobs (a restore, a
     * check that reads data): small blobs alone would leave it interpreted for seconds. Idempotent.
     */
    public static void prepareForBulkOpen() {
        CipherWarmUp.start();
    }

    @Override
    public void close() {
        zc.close();
        zd.close();
    }
}
