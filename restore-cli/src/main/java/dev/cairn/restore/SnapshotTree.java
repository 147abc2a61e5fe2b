package dev.cairn.restore;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Paths inside a snapshot. A snapshot's root tree holds one entry per backed-up source (named after the source's
 * last component), so the file {@code /srv/data/a.txt} backed up from {@code /srv/data} is {@code /data/a.txt}
 * inside the snapshot. Paths are {@code /}-separated; names are compared as bytes (UTF-8 for what is typed).
 */
public final class SnapshotTree {
    private final MetadataReader reader;

    public SnapshotTree(MetadataReader reader) {
        this.reader = reader;
    }

    /** Receives each entry of a walk. */
    @FunctionalInterface
    public interface Visitor {
        /**
         * Called for each entry, parents before children, names in byte order.
         *
         * @return whether to walk into this entry when it is a directory
         */
        boolean visit(String path, Node node) throws IOException;
    }

    /** A node found at a path; {@code node} is null for the snapshot's root. */
    public record Located(String path, Node node, BlobId tree) {
        public boolean isDirectory() {
            return node == null || node.type() == NodeType.DIRECTORY;
        }
    }

    /**
     * The entry at {@code path} under the root tree {@code root}.
     *
     * @throws IOException naming the path when it is not in the snapshot
     */
    public Located locate(BlobId root, String path) throws IOException {
        String clean = normalize(path);
        if (clean.equals("/")) {
            return new Located("/", null, root);
        }
        BlobId tree = root;
        Node node = null;
        StringBuilder at = new StringBuilder();
        for (String part : clean.substring(1).split("/")) {
            if (tree == null) {
                throw new IOException(clean + ": not in the snapshot (" + at + " is not a directory)");
            }
            node = reader.tree(tree).find(FileName.of(part.getBytes(StandardCharsets.UTF_8)));
            at.append('/').append(part);
            if (node == null) {
                throw new IOException(clean + ": not in the snapshot");
            }
            tree = node.type() == NodeType.DIRECTORY ? node.subtree() : null;
        }
        return new Located(clean, node, tree);
    }

    /** Walks everything under {@code tree}, whose own path is {@code prefix} ({@code /} for the root). */
    public void walk(BlobId tree, String prefix, Visitor visitor) throws IOException {
        Tree t = reader.tree(tree);
        String base = prefix.endsWith("/") ? prefix : prefix + "/";
        for (Node n : t.nodes()) {
            String p = base + n.name();
            if (visitor.visit(p, n) && n.type() == NodeType.DIRECTORY) {
                walk(n.subtree(), p, visitor);
            }
        }
    }

    /** The children of a directory tree. */
    public List<Node> list(BlobId tree) throws IOException {
        return reader.tree(tree).nodes();
    }

    /** {@code path} with a leading {@code /}, no trailing one, no empty or {@code .} parts. */
    static String normalize(String path) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new IOException(path + ": '..' is not allowed in a snapshot path");
            }
            sb.append('/').append(part);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
