/**
 * Where repository objects live: the {@link dev.cairn.store.BlobStore} contract, the object names of the
 * repository layout ({@code config}, {@code keys/}, {@code data/}, {@code index/}, {@code snapshots/},
 * {@code locks/}) and the stores that implement it. A store moves opaque bytes; it knows nothing of packs,
 * keys or compression. Cross-cutting behaviour (retry, read-only, rate limits) wraps a store as a decorator.
 * {@link dev.cairn.store.DirectIo} moves large files past the page cache: the local store's packs, and the source
 * files a backup reads.
 */
package dev.cairn.store;
