package dev.cairn.restore;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Compares two snapshot trees in step, name by name. Subtrees with the same id are identical and are not read,
 * so comparing two snapshots of a large, mostly unchanged tree reads only the directories that changed.
 */
public final class TreeDiff {
    /** How an entry differs. */
    public enum Kind {
        /** Only in the second tree. */
        ADDED("+"),
        /** Only in the first tree. */
        REMOVED("-"),
        /** A file whose content differs. */
        MODIFIED("M"),
        /** Same content, other metadata (mode, owner, times, xattrs, link target). */
        METADATA("U"),
        /** Another type of entry under the same name (a file became a directory, say). */
        TYPE("T");

        private final String mark;

        Kind(String mark) {
            this.mark = mark;
        }

        /** The one-character mark in listings. */
        public String mark() {
            return mark;
        }
    }

    /** One difference; {@code before} is null for an addition, {@code after} for a removal. */
    public record Change(Kind kind, String path, Node before, Node after) {
    }

    /** Receives the differences in path order. */
    @FunctionalInterface
    public interface Listener {
        void change(Change c) throws IOException;
    }

    private final MetadataReader reader;

    public TreeDiff(MetadataReader reader) {
        this.reader = reader;
    }

    /** Reports every difference between trees {@code a} and {@code b}, both at {@code path}. */
    public void compare(BlobId a, BlobId b, String path, Listener listener) throws IOException {
        if (a.equals(b)) {
            return;
        }
        List<Node> x = reader.tree(a).nodes();
        List<Node> y = reader.tree(b).nodes();
        String base = path.endsWith("/") ? path : path + "/";
        int i = 0;
        int j = 0;
        while (i < x.size() || j < y.size()) {
            int c = i == x.size() ? 1 : j == y.size() ? -1 : x.get(i).name().compareTo(y.get(j).name());
            if (c < 0) {
                whole(Kind.REMOVED, base + x.get(i).name(), x.get(i), listener);
                i++;
            } else if (c > 0) {
                whole(Kind.ADDED, base + y.get(j).name(), y.get(j), listener);
                j++;
            } else {
                entry(base + x.get(i).name(), x.get(i), y.get(j), listener);
                i++;
                j++;
            }
        }
    }

    private void entry(String path, Node a, Node b, Listener listener) throws IOException {
        if (a.type() != b.type()) {
            listener.change(new Change(Kind.TYPE, path, a, b));
            if (a.type() == NodeType.DIRECTORY) {
                walk(Kind.REMOVED, path, a.subtree(), listener);
            }
            if (b.type() == NodeType.DIRECTORY) {
                walk(Kind.ADDED, path, b.subtree(), listener);
            }
            return;
        }
        if (a.type() == NodeType.DIRECTORY) {
            if (!sameMetadata(a, b)) {
                listener.change(new Change(Kind.METADATA, path, a, b));
            }
            compare(a.subtree(), b.subtree(), path, listener);
            return;
        }
        if (a.type() == NodeType.FILE && !a.content().equals(b.content())) {
            listener.change(new Change(Kind.MODIFIED, path, a, b));
        } else if (!sameMetadata(a, b) || !Objects.equals(a.linkTarget(), b.linkTarget()) || a.rdev() != b.rdev()) {
            listener.change(new Change(Kind.METADATA, path, a, b));
        }
    }

    private static boolean sameMetadata(Node a, Node b) {
        return a.mode() == b.mode() && a.uid() == b.uid() && a.gid() == b.gid() && a.mtimeNanos() == b.mtimeNanos()
                && a.xattrList().equals(b.xattrList());
    }

    private void whole(Kind kind, String path, Node n, Listener listener) throws IOException {
        listener.change(kind == Kind.ADDED ? new Change(kind, path, null, n) : new Change(kind, path, n, null));
        if (n.type() == NodeType.DIRECTORY) {
            walk(kind, path, n.subtree(), listener);
        }
    }

    private void walk(Kind kind, String path, BlobId tree, Listener listener) throws IOException {
        Tree t = reader.tree(tree);
        for (Node n : t.nodes()) {
            whole(kind, path + "/" + n.name(), n, listener);
        }
    }
}
