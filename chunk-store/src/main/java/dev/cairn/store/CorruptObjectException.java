package dev.cairn.store;

import java.io.IOException;

/**
 * An object (or a blob inside a pack) failed authentication or does not parse: it was damaged or tampered
 * with. Its bytes are never returned as content.
 */
public final class CorruptObjectException extends IOException {
    private static final long serialVersionUID = 1L;

    public CorruptObjectException(String what, String problem) {
        super(what + " is corrupted: " + problem);
    }

    public CorruptObjectException(String what, String problem, Throwable cause) {
        super(what + " is corrupted: " + problem, cause);
    }
}
