package dev.cairn.store;

import java.io.IOException;

/** Holds uploads (the bytes of every put) to a rate; everything else passes through unchanged. */
public final class ThrottledBlobStore extends ForwardingBlobStore {
    private final RateLimiter uploads;

    private ThrottledBlobStore(BlobStore inner, RateLimiter uploads) {
        super(inner);
        this.uploads = uploads;
    }

    /** Wraps {@code inner} so that puts stay within {@code uploads}. */
    public static ThrottledBlobStore wrap(BlobStore inner, RateLimiter uploads) {
        return new ThrottledBlobStore(inner, uploads);
    }

    @Override
    public void put(ObjectName name, byte[] content, int length, Placement placement) throws IOException {
        uploads.acquire(length);
        inner.put(name, content, length, placement);
    }
}
