package dev.cairn.store;

import java.io.IOException;

/** The object asked for is not in the store. */
public final class NoSuchObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoSuchObjectException(ObjectName name) {
        super(name + " does not exist");
    }
}
