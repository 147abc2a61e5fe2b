/**
 * Packs and index files. A pack is sealed blobs back to back followed by a sealed header that lists them;
 * {@link dev.cairn.store.pack.PackWriter} builds one and parses it back before anyone stores it,
 * {@link dev.cairn.store.pack.PackReader} reads a header from a stored pack, and
 * {@link dev.cairn.store.pack.PackAssembler} groups blobs into packs by type, stores them and writes the
 * index files that cover them, in that order. Offsets never leave this layer except as index entries.
 */
package dev.cairn.store.pack;
