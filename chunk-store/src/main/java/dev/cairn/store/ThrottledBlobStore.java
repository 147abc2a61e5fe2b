package dev.cairn.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/** Holds uploads (the bytes of every put) to a rate; everything else passes through unchanged. */
public final class ThrottledBlobStore implements BlobStore {
    private final BlobStore inner;
    private final RateLimiter uploads;

    private ThrottledBlobStore(BlobStore inner, RateLimiter uploads) {
        this.inner = inner;
        this.uploads = uploads;
    }

    /** Wraps {@code inner} so that puts stay within {@code uploads}. */
    public static ThrottledBlobStore wrap(BlobStore inner, RateLimiter uploads) {
        return new ThrottledBlobStore(inner, uploads);
    }

    @Override
    public void put(ObjectName name, byte[] content) throws IOException {
        put(name, content, Placement.STANDARD);
    }

    @Override
    public void put(ObjectName name, byte[] content, Placement placement) throws IOException {
        uploads.acquire(content.length);
        inner.put(name, content, placement);
    }

    @Override
    public byte[] get(ObjectName name) throws IOException {
        return inner.get(name);
    }

    @Override
    public byte[] get(ObjectName name, long offset, int length) throws IOException {
        return inner.get(name, offset, length);
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectName name) throws IOException {
        return inner.stat(name);
    }

    @Override
    public List<ObjectInfo> list(ObjectType type) throws IOException {
        return inner.list(type);
    }

    @Override
    public void delete(ObjectName name) throws IOException {
        inner.delete(name);
    }

    @Override
    public String location() {
        return inner.location();
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }
}
