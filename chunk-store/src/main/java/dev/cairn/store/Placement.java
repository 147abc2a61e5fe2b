package dev.cairn.store;

/**
 * Where a store may keep an object. Every object is readable at once whatever its placement; a store with storage
 * classes (S3) may keep {@link #BULK} objects in a cheaper class that still serves reads immediately.
 */
public enum Placement {
    /** Config, keys, indexes, snapshots, locks and tree packs: read by every command, kept in the standard class. */
    STANDARD,
    /** Packs of file content: read by restores and data checks only. */
    BULK
}
