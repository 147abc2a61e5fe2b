package dev.cairn.store;

import java.io.IOException;

/** {@link BlobStore#put} found an object under that name already; the stored object is unchanged. */
public final class ObjectExistsException extends IOException {
    private static final long serialVersionUID = 1L;

    public ObjectExistsException(ObjectName name) {
        super(name + " already exists");
    }
}
