/**
 * Content-defined chunking with FastCDC (the 2020 variant: gear hash, normalized chunking, two bytes per
 * step). {@link dev.cairn.store.chunker.ChunkerParams} holds the sizes and normalization level, validated;
 * {@link dev.cairn.store.chunker.FastCdc} finds cut points in a buffer or streams over a file without loading
 * it whole. Cut points match the published vectors of the fastcdc-rs crate for the same parameters.
 */
package dev.cairn.store.chunker;
