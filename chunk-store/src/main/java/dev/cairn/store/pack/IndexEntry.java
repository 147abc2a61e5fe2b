package dev.cairn.store.pack;

import dev.cairn.store.BlobId;

/** Where a blob lives: its pack and its place in that pack. */
public record IndexEntry(BlobId pack, PackedBlob blob) {
}
