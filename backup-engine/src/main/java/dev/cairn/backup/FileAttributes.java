package dev.cairn.backup;

import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Xattr;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.WrongMethodTypeException;
import java.lang.reflect.Method;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads one entry's metadata with a single {@code lstat}, or {@code fstatat} relative to its open directory (plus
 * {@code listxattr} for files and directories), and turns it into a {@link Node}. User and group names are looked
 * up once per id.
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

    /** The fields of one {@code lstat}, read without building a map per file. */
    private record Stat(int mode, long ino, long dev, long rdev, long nlink, int uid, int gid, long size,
            long mtimeNanos, long atimeNanos, long ctimeNanos) {
    }

    private static final MethodHandle[] UNIX = unixAccessors();
    private static final Class<?> UNIX_ATTRIBUTES = unixAttributesClass();

    private static Class<?> unixAttributesClass() {
        try {
            return Class.forName("sun.nio.fs.UnixFileAttributes");
        } catch (ClassNotFoundException e) {
            return null;
        }
    }

    /**
     * Accessors of the JDK's own {@code sun.nio.fs.UnixFileAttributes}, which {@code readAttributes} with
     * {@code PosixFileAttributes} returns on Linux; available when {@code sun.nio.fs} is opened (see
     * {@link RawPaths}). The string-keyed {@code unix:} view parses its attribute list and fills a map on every
     * call, which costs more than the {@code lstat} itself.
     */
    private static MethodHandle[] unixAccessors() {
        try {
            Class<?> c = Class.forName("sun.nio.fs.UnixFileAttributes");
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(c, MethodHandles.lookup());
            String[] names = {"mode", "ino", "dev", "rdev", "nlink", "uid", "gid"};
            MethodHandle[] out = new MethodHandle[names.length + 1];
            for (int i = 0; i < names.length; i++) {
                Method m = c.getDeclaredMethod(names[i]);
                out[i] = l.unreflect(m).asType(MethodType.methodType(long.class, Object.class));
            }
            out[names.length] = l.unreflect(c.getDeclaredMethod("ctime"))
                    .asType(MethodType.methodType(FileTime.class, Object.class));
            // Use them only if this JDK hands its own class back for PosixFileAttributes.
            Object probe = Files.readAttributes(Path.of("/"), PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long unused = (long) out[0].invokeExact(probe);
            return out;
        } catch (Throwable notOpened) {
            return null;
        }
    }

    /**
     * One {@code lstat} of {@code path}; with {@code in} (its directory, open), an {@code fstatat} of
     * {@code fileName} relative to it, which spares the kernel the walk of every component of the path.
     */
    private static Stat stat(Path path, SecureDirectoryStream<Path> in, Path fileName) throws IOException {
        if (UNIX != null) {
            PosixFileAttributes a = null;
            if (in != null) {
                try {
                    a = in.getFileAttributeView(fileName, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                            .readAttributes();
                } catch (NoSuchFileException | AccessDeniedException e) {
                    throw e; // warned about by the caller, under the whole path
                } catch (IOException e) {
                    // The JDK names only the entry; the message names the whole path.
                    String why = e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                            ? f.getReason() : e.getMessage();
                    throw new IOException(path + ": " + why, e);
                }
                if (!UNIX_ATTRIBUTES.isInstance(a)) {
                    a = null; // another JDK's view: the path's own lstat below
                }
            }
            if (a == null) {
                a = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            }
            try {
                return new Stat((int) (long) UNIX[0].invokeExact((Object) a), (long) UNIX[1].invokeExact((Object) a),
                        (long) UNIX[2].invokeExact((Object) a), (long) UNIX[3].invokeExact((Object) a),
                        (long) UNIX[4].invokeExact((Object) a), (int) (long) UNIX[5].invokeExact((Object) a),
                        (int) (long) UNIX[6].invokeExact((Object) a), a.size(), nanos(a.lastModifiedTime()),
                        nanos(a.lastAccessTime()), nanos((FileTime) UNIX[7].invokeExact((Object) a)));
            } catch (ClassCastException | WrongMethodTypeException e) {
                throw new IllegalStateException("unexpected attributes class " + a.getClass().getName(), e);
            } catch (Throwable e) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }
        }
        Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
        return new Stat((Integer) a.get("mode"), (Long) a.get("ino"), (Long) a.get("dev"), (Long) a.get("rdev"),
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("size"),
                nanos((FileTime) a.get("lastModifiedTime")), nanos((FileTime) a.get("lastAccessTime")),
                nanos((FileTime) a.get("ctime")));
    }

    /**
     * The node for {@code path}, without content or subtree. When {@code parent} (may be null) describes the same
     * entry with the same ctime, its xattrs are taken instead of listed again: changing an xattr moves ctime, and
     * listing costs an open, two listxattr calls and a close per entry. With {@code in}, the entry's open directory,
     * it is looked up there by {@code fileName}.
     */
    Node read(Path path, FileName name, Node parent, SecureDirectoryStream<Path> in, Path fileName)
            throws IOException {
        Stat a = stat(path, in, fileName);
        int mode = a.mode();
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
        FileName target = type == NodeType.SYMLINK ? RawPaths.whole(Files.readSymbolicLink(path)) : null;
        List<Xattr> xa = null;
        if (xattrs && (type == NodeType.FILE || type == NodeType.DIRECTORY)) {
            boolean same = parent != null && parent.type() == type && parent.ctimeNanos() == a.ctimeNanos()
                    && parent.inode() == a.ino();
            xa = same ? parent.xattrs() : readXattrs(path);
        }
        return new Node(name, type, mode & 07777, a.uid(), a.gid(), userName(path, a.uid()), groupName(path, a.gid()),
                type == NodeType.FILE ? a.size() : 0L, a.mtimeNanos(), a.atimeNanos(), a.ctimeNanos(), a.ino(),
                a.dev(), a.nlink(), target,
                type == NodeType.CHAR_DEVICE || type == NodeType.BLOCK_DEVICE ? a.rdev() : 0L,
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
