package dev.cairn.store;

import java.io.IOException;

/**
 * A failure that may go away when the request is made again: throttling, a server error, a dropped or refused
 * connection, a timeout. {@link RetryingBlobStore} retries these; anything else fails at once.
 */
public class TransientStoreException extends IOException {
    public TransientStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
