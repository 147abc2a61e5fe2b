/**
 * The write path: {@link dev.cairn.backup.Backup} walks the sources, reuses the chunk lists of files unchanged
 * since the parent snapshot, chunks and deduplicates the rest, stores packs, then the index files covering them,
 * then the snapshot. Unreadable or vanishing files become warnings, never a failed run.
 */
package dev.cairn.backup;
