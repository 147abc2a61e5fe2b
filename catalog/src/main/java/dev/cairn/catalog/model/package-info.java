/**
 * cairn's metadata model: a {@link dev.cairn.catalog.model.Snapshot} points at a root
 * {@link dev.cairn.catalog.model.Tree}, a tree lists {@link dev.cairn.catalog.model.Node}s sorted by name, and a
 * node carries a file's type, metadata and content chunk ids (or, for a directory, its subtree id). Trees and
 * snapshots are encoded as CBOR in a fixed field order, so an identical directory always encodes to identical
 * bytes and therefore the same tree id.
 */
package dev.cairn.catalog.model;
