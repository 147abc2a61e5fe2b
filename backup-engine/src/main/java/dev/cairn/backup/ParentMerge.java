package dev.cairn.backup;

import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import java.util.List;
import java.util.Objects;

/**
 * How a backup reuses its parent snapshot: the decisions taken for every entry of every directory, in step with
 * the parent's tree for that directory. A file whose size, mtime, ctime and inode are unchanged keeps its chunk list
 * without being opened; an entry that differs from its parent node only in atime keeps the parent node itself, so
 * that its directory's tree, and every tree above it, keeps its id. Pure functions of the nodes.
 */
public final class ParentMerge {
    private ParentMerge() {
    }

    /**
     * The parent's entries of one directory, walked in step with the current listing: both are in name order, so
     * each lookup moves forward instead of searching the whole tree.
     */
    public static final class Walk {
        private final List<Node> nodes;
        private int next;

        /** A walk over {@code parentDirectory}, or over nothing when it is null. */
        public Walk(Tree parentDirectory) {
            this.nodes = parentDirectory == null ? List.of() : parentDirectory.nodes();
        }

        /**
         * The parent's entry named {@code name}, or null. Names must be asked for in increasing order (as
         * {@link FileName#compareTo} sorts them).
         */
        public Node find(FileName name) {
            while (next < nodes.size()) {
                int c = nodes.get(next).name().compareTo(name);
                if (c == 0) {
                    return nodes.get(next++);
                }
                if (c > 0) {
                    return null;
                }
                next++;
            }
            return null;
        }
    }

    /**
     * Whether file {@code now} can reuse the content of {@code parent} without being read: both regular files of
     * the same size, mtime, ctime and inode. Any write moves mtime and ctime, and any metadata change moves ctime.
     */
    public static boolean contentUnchanged(Node parent, Node now) {
        return parent != null && parent.type() == NodeType.FILE && now.type() == NodeType.FILE
                && parent.size() == now.size() && parent.mtimeNanos() == now.mtimeNanos()
                && parent.ctimeNanos() == now.ctimeNanos() && parent.inode() == now.inode();
    }

    /**
     * The node to record for a file whose content is unchanged ({@link #contentUnchanged}): the parent node when
     * only atime moved (reading a file moves it), else {@code now} with the parent's chunk list.
     */
    public static Node unchangedFile(Node parent, Node now) {
        return sameExceptAccessTime(parent, now) ? parent : now.withContent(parent.content(), parent.size());
    }

    /**
     * Whether two nodes agree in everything a backup records except atime (and a directory's subtree or a file's
     * content, which the caller compares). Reading a file, listing a directory or reading a link moves its atime;
     * keeping the parent node then keeps tree ids stable across runs.
     */
    public static boolean sameExceptAccessTime(Node parent, Node now) {
        return parent.name().equals(now.name()) && parent.type() == now.type() && parent.mode() == now.mode()
                && parent.uid() == now.uid() && parent.gid() == now.gid()
                && Objects.equals(parent.user(), now.user()) && Objects.equals(parent.group(), now.group())
                && parent.mtimeNanos() == now.mtimeNanos() && parent.ctimeNanos() == now.ctimeNanos()
                && parent.inode() == now.inode() && parent.deviceId() == now.deviceId() && parent.links() == now.links()
                && parent.size() == now.size() && parent.rdev() == now.rdev()
                && Objects.equals(parent.linkTarget(), now.linkTarget())
                && parent.xattrList().equals(now.xattrList());
    }
}
