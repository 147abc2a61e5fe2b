/**
 * The read path, from the repository alone: {@link dev.cairn.restore.Restorer} writes a snapshot (or part of it)
 * into a directory, planned by pack and written in parallel, files under a temporary name renamed into place when
 * complete, metadata last (directory times after their contents); {@link dev.cairn.restore.SnapshotTree} finds and
 * walks paths inside a snapshot; {@link dev.cairn.restore.TreeDiff} compares two snapshots, skipping identical
 * subtrees by id; {@link dev.cairn.restore.Dumper} writes a file or a tar stream; {@link
 * dev.cairn.restore.RepositoryStats} counts restore sizes, dedup and compression.
 */
package dev.cairn.restore;
