package dev.cairn.catalog.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cairn.store.BlobId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot manifest: when, where and of what it was taken, its parent, its root tree, and the backup's
 * summary. Its id is the name of the object it is stored in.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"v", "time", "host", "user", "paths", "tags", "parent", "tree", "summary"})
public record Snapshot(
        @JsonProperty("v") int version,
        @JsonProperty("time") Instant time,
        @JsonProperty("host") String host,
        @JsonProperty("user") String user,
        @JsonProperty("paths") List<String> paths,
        @JsonProperty("tags") List<String> tags,
        @JsonProperty("parent") String parent,
        @JsonProperty("tree") BlobId tree,
        @JsonProperty("summary") BackupSummary summary) {

    /** The snapshot format version written by this build. */
    public static final int VERSION = 1;

    public Snapshot {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(tree, "tree");
        paths = List.copyOf(paths);
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
