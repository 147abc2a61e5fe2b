/**
 * The read path: {@link dev.cairn.restore.Restorer} writes a snapshot (or part of it) into a directory from the
 * repository alone. Files are written under a temporary name and renamed into place when complete, so a failed
 * restore never leaves a half-written file under its final name; metadata is restored last, directory times
 * after their contents.
 */
package dev.cairn.restore;
