package dev.cairn.catalog.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cairn.store.BlobId;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a directory listing. Times are nanoseconds since the epoch; {@code mode} holds the permission
 * bits with setuid, setgid and sticky ({@code 07777}); {@code content} lists a regular file's chunk ids in
 * order; {@code subtree} is a directory's tree id; {@code linkTarget} is a symlink's target; {@code rdev} a
 * device node's device number.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "type", "mode", "uid", "gid", "user", "group", "size", "mtime", "atime", "ctime",
    "inode", "dev", "links", "target", "rdev", "xattrs", "content", "subtree"})
public record Node(
        @JsonProperty("name") FileName name,
        @JsonProperty("type") NodeType type,
        @JsonProperty("mode") int mode,
        @JsonProperty("uid") int uid,
        @JsonProperty("gid") int gid,
        @JsonProperty("user") String user,
        @JsonProperty("group") String group,
        @JsonProperty("size") long size,
        @JsonProperty("mtime") long mtimeNanos,
        @JsonProperty("atime") long atimeNanos,
        @JsonProperty("ctime") long ctimeNanos,
        @JsonProperty("inode") long inode,
        @JsonProperty("dev") long deviceId,
        @JsonProperty("links") long links,
        @JsonProperty("target") FileName linkTarget,
        @JsonProperty("rdev") long rdev,
        @JsonProperty("xattrs") List<Xattr> xattrs,
        @JsonProperty("content") List<BlobId> content,
        @JsonProperty("subtree") BlobId subtree) {

    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        xattrs = xattrs == null || xattrs.isEmpty() ? null : List.copyOf(xattrs);
        content = content == null ? (type == NodeType.FILE ? List.of() : null) : List.copyOf(content);
        if (type == NodeType.DIRECTORY && subtree == null) {
            throw new IllegalArgumentException("directory node " + name + " has no subtree");
        }
    }

    /** The same node with other content (for a file). */
    public Node withContent(List<BlobId> newContent, long newSize) {
        return new Node(name, type, mode, uid, gid, user, group, newSize, mtimeNanos, atimeNanos, ctimeNanos, inode,
                deviceId, links, linkTarget, rdev, xattrs, newContent, subtree);
    }

    /** The same node with another subtree (for a directory). */
    public Node withSubtree(BlobId tree) {
        return new Node(name, type, mode, uid, gid, user, group, size, mtimeNanos, atimeNanos, ctimeNanos, inode,
                deviceId, links, linkTarget, rdev, xattrs, content, tree);
    }

    /** The same node under another name. */
    public Node withName(FileName newName) {
        return new Node(newName, type, mode, uid, gid, user, group, size, mtimeNanos, atimeNanos, ctimeNanos, inode,
                deviceId, links, linkTarget, rdev, xattrs, content, subtree);
    }

    /** A device node's major number, from {@code rdev} as Linux encodes it. */
    public long deviceMajor() {
        return (rdev >>> 8) & 0xfff | ((rdev >>> 32) & ~0xfffL);
    }

    /** A device node's minor number, from {@code rdev} as Linux encodes it. */
    public long deviceMinor() {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }

    /** Xattrs, never null. */
    public List<Xattr> xattrList() {
        return xattrs == null ? List.of() : xattrs;
    }
}
