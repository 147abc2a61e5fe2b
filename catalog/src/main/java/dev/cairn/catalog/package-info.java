/**
 * Reading and writing metadata in a repository: snapshots (list, load, save, resolve an id prefix or
 * {@code latest}), trees by id, and the {@link dev.cairn.catalog.BlobIndex} that says where each blob lives.
 * The index is built from the repository's index files; it is a cache that can always be rebuilt.
 */
package dev.cairn.catalog;
