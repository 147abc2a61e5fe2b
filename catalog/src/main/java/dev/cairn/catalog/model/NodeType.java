package dev.cairn.catalog.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What kind of filesystem entry a node is. */
public enum NodeType {
    @JsonProperty("file") FILE,
    @JsonProperty("dir") DIRECTORY,
    @JsonProperty("symlink") SYMLINK,
    @JsonProperty("fifo") FIFO,
    @JsonProperty("socket") SOCKET,
    @JsonProperty("chardev") CHAR_DEVICE,
    @JsonProperty("blockdev") BLOCK_DEVICE
}
