package dev.cairn.store.codec;

import dev.cairn.store.BlobId;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * Chunk ids: HMAC-SHA-256 of the content under the repository's id key, so ids reveal nothing about content to
 * whoever holds the bucket. Not thread-safe: one per thread.
 */
public final class ChunkIdHasher {
    private final Mac mac;
    private final byte[] out = new byte[BlobId.LENGTH];

    ChunkIdHasher(byte[] idKey) {
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(idKey, "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The id of {@code len} bytes of {@code buf} from {@code off}. */
    public BlobId id(byte[] buf, int off, int len) {
        mac.update(buf, off, len);
        try {
            mac.doFinal(out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
        return BlobId.of(out);
    }
}
