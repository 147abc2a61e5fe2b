package dev.cairn.backup;

import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads one entry's metadata with a single {@code lstat} (plus {@code listxattr} for files and directories) and
 * turns it into a {@link Node}. User and group names are looked up once per id.
 */
final class FileAttributes {
    private static final String ATTRS = "unix:mode,ino,dev,rdev,nlink,uid,gid,size,ctime,lastModifiedTime,lastAccessTime";
    private static final int S_IFMT = 0170000;

    private final Map<Integer, String> users = new ConcurrentHashMap<>();
    private final Map<Integer, String> groups = new ConcurrentHashMap<>();
    private final boolean xattrs;

    FileAttributes(boolean xattrs) {
        this.xattrs = xattrs;
    }

    /** The node for {@code path}, without content or subtree. */
    Node read(Path path, FileName name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        NodeType type = switch (mode & S_IFMT) {
            case 0100000 -> NodeType.FILE;
            case 0040000 -> NodeType.DIRECTORY;
            case 0120000 -> NodeType.SYMLINK;
            case 0010000 -> NodeType.FIFO;
            case 0140000 -> NodeType.SOCKET;
            case 0020000 -> NodeType.CHAR_DEVICE;
            case 0060000 -> NodeType.BLOCK_DEVICE;
            default -> throw new IOException(path + ": unknown file type " + Integer.toOctalString(mode));
        };
        int uid = (Integer) a.get("uid");
        int gid = (Integer) a.get("gid");
        FileName target = type == NodeType.SYMLINK ? FileName.of(Files.readSymbolicLink(path).toString()) : null;
        List<Xattr> xa = xattrs && (type == NodeType.FILE || type == NodeType.DIRECTORY) ? readXattrs(path) : null;
        return new Node(name, type, mode & 07777, uid, gid, userName(path, uid), groupName(path, gid),
                type == NodeType.FILE ? (Long) a.get("size") : 0L,
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("lastAccessTime")),
                nanos((FileTime) a.get("ctime")), (Long) a.get("ino"), (Long) a.get("dev"), (Integer) a.get("nlink"),
                target, type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE ? (Long) a.get("rdev") : 0L,
                xa, null, type == NodeType.DIRECTORY ? PLACEHOLDER : null);
    }

    /** Stands in for a directory's subtree until its tree is built. */
    static final dev.cairn.store.BlobId PLACEHOLDER = dev.cairn.store.BlobId.of(new byte[32]);

    static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    private String userName(Path p, int uid) {
        return users.computeIfAbsent(uid, u -> lookup(p, "unix:owner"));
    }

    private String groupName(Path p, int gid) {
        return groups.computeIfAbsent(gid, g -> lookup(p, "unix:group"));
    }

    private static String lookup(Path p, String attr) {
        try {
            return ((java.security.Principal) Files.getAttribute(p, attr, LinkOption.NOFOLLOW_LINKS)).getName();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static List<Xattr> readXattrs(Path path) {
        UserDefinedFileAttributeView v = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (v == null) {
            return null;
        }
        try {
            List<String> names = v.list();
            if (names.isEmpty()) {
                return null;
            }
            List<Xattr> out = new ArrayList<>(names.size());
            for (String n : names) {
                ByteBuffer b = ByteBuffer.allocate(v.size(n));
                v.read(n, b);
                out.add(new Xattr(n, java.util.Arrays.copyOf(b.array(), b.position())));
            }
            out.sort(java.util.Comparator.comparing(Xattr::name));
            return out;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }
}
