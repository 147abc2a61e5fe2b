package dev.cairn.restore;

import dev.cairn.backup.RawPaths;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.catalog.model.Xattr;
import dev.cairn.store.BlobId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Restores a tree into a target directory. Existing files are replaced. Ownership is restored only when
 * running as root; what cannot be set becomes a warning.
 */
public final class Restorer {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final MetadataReader reader;
    private final List<String> warnings = new ArrayList<>();
    private final Map<List<Long>, Path> hardlinks = new HashMap<>();
    private long files;
    private long dirs;
    private long bytes;

    public Restorer(MetadataReader reader) {
        this.reader = reader;
    }

    /** Restores every entry of {@code tree} into {@code target}, which is created if missing. */
    public RestoreResult restore(BlobId tree, Path target) throws IOException {
        Files.createDirectories(target);
        restoreTree(reader.tree(tree), target);
        return new RestoreResult(files, dirs, bytes, List.copyOf(warnings));
    }

    private void restoreTree(Tree tree, Path dir) throws IOException {
        for (Node n : tree.nodes()) {
            checkName(n.name());
            Path p = RawPaths.resolve(dir, n.name());
            restoreNode(n, p);
        }
    }

    /** Refuses names that would escape the target directory. */
    static void checkName(FileName name) throws IOException {
        byte[] b = name.bytes();
        boolean dots = b.length == 1 && b[0] == '.' || b.length == 2 && b[0] == '.' && b[1] == '.';
        boolean bad = b.length == 0 || dots;
        for (byte x : b) {
            bad |= x == '/' || x == 0;
        }
        if (bad) {
            throw new IOException("refusing to restore an entry named '" + name + "' (not a plain file name)");
        }
    }

    private void restoreNode(Node n, Path p) throws IOException {
        switch (n.type()) {
            case DIRECTORY -> {
                if (Files.isSymbolicLink(p) || (Files.exists(p) && !Files.isDirectory(p))) {
                    Files.delete(p);
                }
                Files.createDirectories(p);
                restoreTree(reader.tree(n.subtree()), p);
                dirs++;
                metadata(n, p);
            }
            case FILE -> {
                if (n.links() > 1) {
                    List<Long> key = List.of(n.deviceId(), n.inode());
                    Path first = hardlinks.get(key);
                    if (first != null) {
                        Files.deleteIfExists(p);
                        Files.createLink(p, first);
                        files++;
                        return;
                    }
                    hardlinks.put(key, p);
                }
                writeFile(n, p);
                files++;
                metadata(n, p);
            }
            case SYMLINK -> {
                Files.deleteIfExists(p);
                Files.createSymbolicLink(p, RawPaths.path(n.linkTarget()));
                metadata(n, p);
            }
            case FIFO, CHAR_DEVICE, BLOCK_DEVICE -> {
                Files.deleteIfExists(p);
                if (special(n, p)) {
                    metadata(n, p);
                }
            }
            case SOCKET -> warnings.add(p + ": sockets are not restored");
            default -> throw new IllegalStateException(n.type().toString());
        }
    }

    private void writeFile(Node n, Path p) throws IOException {
        byte[] name = n.name().bytes();
        byte[] partial = new byte[name.length + 15];
        partial[0] = '.';
        System.arraycopy(name, 0, partial, 1, name.length);
        System.arraycopy(".cairn-partial".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, partial,
                name.length + 1, 14);
        Path tmp = RawPaths.resolve(p.getParent(), FileName.of(partial));
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long pos = 0;
            for (BlobId id : n.content()) {
                byte[] data = reader.data(id);
                if (isZero(data)) {
                    pos += data.length; // leave a hole
                } else {
                    ByteBuffer b = ByteBuffer.wrap(data);
                    while (b.hasRemaining()) {
                        pos += ch.write(b, pos);
                    }
                }
                bytes += data.length;
            }
            if (ch.size() != pos) {
                ch.truncate(pos);
                if (ch.size() < pos) {
                    ch.write(ByteBuffer.allocate(1), pos - 1);
                }
            }
            if (pos != n.size()) {
                throw new IOException(p + ": restored " + pos + " bytes but the snapshot says " + n.size());
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return b.length > 0;
    }

    private void touch(Path p, String which, long nanos) {
        String stamp = "@" + Math.floorDiv(nanos, 1_000_000_000L) + "." + String.format("%09d", Math.floorMod(nanos,
                1_000_000_000L));
        try {
            run(List.of("touch", "-h", which, "-d", stamp, p.toString()), p);
        } catch (IOException e) {
            warnings.add(p + ": cannot set times: " + e.getMessage());
        }
    }

    private boolean run(List<String> cmd, Path p) throws IOException {
        try {
            Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes()).trim();
            if (proc.waitFor() != 0) {
                warnings.add(p + ": " + cmd.get(0) + " failed: " + out);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while restoring " + p, e);
        }
    }

    private boolean special(Node n, Path p) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (n.type() == NodeType.FIFO) {
            cmd.addAll(List.of("mkfifo", p.toString()));
        } else if (ROOT) {
            long major = (n.rdev() >>> 8) & 0xfff | ((n.rdev() >>> 32) & ~0xfffL);
            long minor = (n.rdev() & 0xff) | ((n.rdev() >>> 12) & ~0xffL);
            cmd.addAll(List.of("mknod", p.toString(), n.type() == NodeType.CHAR_DEVICE ? "c" : "b",
                    Long.toString(major), Long.toString(minor)));
        } else {
            warnings.add(p + ": device nodes are restored only as root");
            return false;
        }
        return run(cmd, p);
    }

    private void metadata(Node n, Path p) {
        boolean link = n.type() == NodeType.SYMLINK;
        boolean special = n.type() != NodeType.FILE && n.type() != NodeType.DIRECTORY && !link;
        LinkOption[] opts = link ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        if (ROOT) {
            try {
                Files.setAttribute(p, "unix:uid", n.uid(), LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", n.gid(), LinkOption.NOFOLLOW_LINKS);
            } catch (IOException | RuntimeException e) {
                warnings.add(p + ": cannot set owner: " + e.getMessage());
            }
        }
        if (!link) {
            try {
                Files.setAttribute(p, "unix:mode", n.mode());
            } catch (IOException | RuntimeException e) {
                warnings.add(p + ": cannot set mode: " + e.getMessage());
            }
            for (Xattr x : n.xattrList()) {
                try {
                    UserDefinedFileAttributeView v = Files.getFileAttributeView(p, UserDefinedFileAttributeView.class);
                    v.write(x.name(), ByteBuffer.wrap(x.value()));
                } catch (IOException | RuntimeException e) {
                    warnings.add(p + ": cannot set xattr " + x.name() + ": " + e.getMessage());
                }
            }
        }
        if (special) {
            // The JDK opens a file to set its times, which blocks on a FIFO; touch uses utimensat instead.
            touch(p, "-m", n.mtimeNanos());
            touch(p, "-a", n.atimeNanos());
            return;
        }
        try {
            Files.getFileAttributeView(p, BasicFileAttributeView.class, opts).setTimes(
                    FileTime.from(n.mtimeNanos(), TimeUnit.NANOSECONDS),
                    FileTime.from(n.atimeNanos(), TimeUnit.NANOSECONDS), null);
        } catch (IOException | RuntimeException e) {
            warnings.add(p + ": cannot set times: " + e.getMessage());
        }
    }

}
