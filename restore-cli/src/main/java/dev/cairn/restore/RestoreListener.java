package dev.cairn.restore;

/** Hears what a restore does, for a progress line or a dry run's listing. Called from several threads. */
public interface RestoreListener {
    /** Hears nothing. */
    RestoreListener NONE = new RestoreListener() {
    };

    /** {@code bytes} of file content were written (or, in a dry run, would be). */
    default void wrote(long files, long bytes) {
    }

    /**
     * One planned action on a target path: {@code restore}, {@code keep} (unchanged), {@code delete}, or
     * {@code link} (a hardlink).
     */
    default void action(String verb, java.nio.file.Path path) {
    }
}
