package dev.cairn.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A decorator's starting point: every call goes to the wrapped store. Subclasses override what they change
 * (every put goes through {@link #put(ObjectName, byte[], int, Placement)}, which the shorter puts call).
 */
public abstract class ForwardingBlobStore implements BlobStore {
    protected final BlobStore inner;

    protected ForwardingBlobStore(BlobStore inner) {
        this.inner = inner;
    }

    @Override
    public final void put(ObjectName name, byte[] content) throws IOException {
        put(name, content, Placement.STANDARD);
    }

    @Override
    public final void put(ObjectName name, byte[] content, Placement placement) throws IOException {
        put(name, content, content.length, placement);
    }

    @Override
    public void put(ObjectName name, byte[] content, int length, Placement placement) throws IOException {
        inner.put(name, content, length, placement);
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
