package dev.cairn.catalog.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What one backup did, kept in its snapshot and printed by {@code cairn backup --json}. Byte counts are raw
 * (uncompressed) except {@code dataAddedPacked}, the bytes stored in new packs.
 */
@JsonPropertyOrder({"files_new", "files_changed", "files_unmodified", "dirs_new", "dirs_changed",
    "dirs_unmodified", "data_blobs", "tree_blobs", "data_added", "data_added_packed", "total_files", "total_bytes",
    "bytes_read", "warnings", "duration_seconds"})
public record BackupSummary(
        @JsonProperty("files_new") long filesNew,
        @JsonProperty("files_changed") long filesChanged,
        @JsonProperty("files_unmodified") long filesUnmodified,
        @JsonProperty("dirs_new") long dirsNew,
        @JsonProperty("dirs_changed") long dirsChanged,
        @JsonProperty("dirs_unmodified") long dirsUnmodified,
        @JsonProperty("data_blobs") long dataBlobs,
        @JsonProperty("tree_blobs") long treeBlobs,
        @JsonProperty("data_added") long dataAdded,
        @JsonProperty("data_added_packed") long dataAddedPacked,
        @JsonProperty("total_files") long totalFiles,
        @JsonProperty("total_bytes") long totalBytes,
        @JsonProperty("bytes_read") long bytesRead,
        @JsonProperty("warnings") long warnings,
        @JsonProperty("duration_seconds") double durationSeconds) {
}
