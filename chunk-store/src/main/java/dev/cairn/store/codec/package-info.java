/**
 * How bytes are kept at rest: zstd compression (kept raw when it does not shrink), keyed chunk ids
 * (HMAC-SHA-256) and authenticated encryption (AES-256-GCM with a fresh random nonce per blob and the blob's
 * kind and id as associated data). {@link dev.cairn.store.codec.BlobCodec} combines them into the sealed form
 * documented in {@code docs/FORMAT.md}; nothing outside this package sees zstd or cipher types.
 */
package dev.cairn.store.codec;
