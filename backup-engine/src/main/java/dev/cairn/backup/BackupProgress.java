package dev.cairn.backup;

import java.nio.file.Path;

/** Receives progress of a backup; called from the backup's threads. */
public interface BackupProgress {
    /**
     * What the run is expected to process, known before it starts when there is a parent snapshot (its totals);
     * not called otherwise.
     */
    default void expect(long files, long bytes) {
    }

    /**
     * The scanner found an entry (called on the scanning thread, after its {@code lstat} and before its content
     * is read): the total so far, for rates and estimates.
     */
    default void scanned(Path path, long size) {
    }

    /** A file was processed: its size, and how many bytes were read (0 when its content was reused). */
    void file(Path path, long size, long bytesRead);

    /** Something could not be backed up. */
    void warning(String message);

    /** Ignores everything. */
    BackupProgress NONE = new BackupProgress() {
        @Override
        public void file(Path path, long size, long bytesRead) {
        }

        @Override
        public void warning(String message) {
        }
    };
}
