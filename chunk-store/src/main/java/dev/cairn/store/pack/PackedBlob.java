package dev.cairn.store.pack;

import dev.cairn.store.BlobId;

/**
 * One blob's place in its pack: type, id, byte offset and sealed length inside the pack, and the length of the
 * raw content.
 */
public record PackedBlob(BlobType type, BlobId id, long offset, int length, int rawLength) {
}
