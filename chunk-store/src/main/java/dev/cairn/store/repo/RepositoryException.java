package dev.cairn.store.repo;

import java.io.IOException;

/**
 * A repository cannot be used as asked: it is missing, foreign, of a newer format, locked, or the passphrase
 * does not open it. The message is one line that names the repository and the problem.
 */
public class RepositoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public RepositoryException(String message) {
        super(message);
    }

    /** No passphrase opens any key of the repository. */
    public static final class WrongPassphrase extends RepositoryException {
        private static final long serialVersionUID = 1L;

        public WrongPassphrase(String message) {
            super(message);
        }
    }

    /** Another process holds a conflicting lock. */
    public static final class Locked extends RepositoryException {
        private static final long serialVersionUID = 1L;

        public Locked(String message) {
            super(message);
        }
    }
}
