package dev.cairn.store;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A repository in a local directory (or any mounted filesystem).
 *
 * <p>{@code put} writes the bytes to a temporary file under {@code tmp/}, forces them to the medium, then links
 * the file under its final name, which fails atomically when the name exists, and forces the directory. A
 * crash leaves at most a file in {@code tmp/}, which no listing returns and which {@link #removeTemporaryFiles}
 * clears.
 */
public final class LocalDirectoryBlobStore implements BlobStore {
    private static final String TMP = "tmp";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;

    private LocalDirectoryBlobStore(Path root) {
        this.root = root;
    }

    /**
     * A store rooted at {@code root}. The directory is created (with its parents) on the first {@code put};
     * opening a directory that does not exist is allowed so that callers can report a missing repository
     * themselves.
     */
    public static LocalDirectoryBlobStore at(Path root) {
        return new LocalDirectoryBlobStore(root.toAbsolutePath().normalize());
    }

    /** The repository root directory. */
    public Path root() {
        return root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    private Path pathOf(ObjectName name) {
        return root.resolve(name.path());
    }

    /** Objects of at least this size (packs) are written with direct writes ({@link DirectIo}). */
    static final int DIRECT_WRITE_MIN = 1 << 20;

    /** Aligned buffers for direct writes, one per concurrent put, kept for the next ones. */
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> directBuffers =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    @Override
    public void put(ObjectName name, byte[] content) throws IOException {
        put(name, content, content.length, Placement.STANDARD);
    }

    @Override
    public void put(ObjectName name, byte[] content, int length, Placement placement) throws IOException {
        java.util.Objects.checkFromIndexSize(0, length, content.length);
        Path target = pathOf(name);
        if (Files.exists(target)) {
            throw new ObjectExistsException(name);
        }
        Path tmpDir = root.resolve(TMP);
        Path parent = target.getParent();
        createDirectoriesDurably(tmpDir);
        createDirectoriesDurably(parent);
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        Path tmp = tmpDir.resolve(name.id() + "." + HexFormat.of().formatHex(suffix));
        boolean stored = false;
        try {
            if (length >= DIRECT_WRITE_MIN) {
                // A pack: written past the page cache (it is read back only by a restore or a check).
                ByteBuffer buf = directBuffers.poll();
                if (buf == null) {
                    buf = DirectIo.newBuffer();
                }
                try {
                    DirectIo.writeNewFile(tmp, content, length, buf);
                } finally {
                    directBuffers.offer(buf);
                }
            } else {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    DirectIo.writeBuffered(ch, content, 0, length);
                    ch.force(true);
                }
            }
            try {
                Files.createLink(target, tmp);
            } catch (FileAlreadyExistsException e) {
                throw new ObjectExistsException(name);
            } catch (UnsupportedOperationException e) {
                // Filesystems without hard links: rename, which refuses an existing target on POSIX only
                // through the check above; the window is a concurrent put of identical content.
                Files.move(tmp, target);
            }
            forceDirectory(parent);
            stored = true;
        } catch (ObjectExistsException e) {
            throw e;
        } catch (IOException e) {
            // A full disk says only "No space left on device": name the repository and the object.
            throw new IOException(root + ": cannot store " + name.path() + ": " + reason(e), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                if (stored) {
                    throw e;
                }
                // The put failed already: its error is the one to report, not this cleanup's.
            }
        }
    }

    @Override
    public byte[] get(ObjectName name) throws IOException {
        try {
            return Files.readAllBytes(pathOf(name));
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(name);
        }
    }

    @Override
    public byte[] get(ObjectName name, long offset, int length) throws IOException {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad range " + offset + "+" + length + " of " + name);
        }
        try (FileChannel ch = FileChannel.open(pathOf(name), StandardOpenOption.READ)) {
            if (offset + length > ch.size()) {
                throw new EOFException(name + " has " + ch.size() + " bytes; range " + offset + "+" + length
                        + " reaches past its end");
            }
            ByteBuffer buf = ByteBuffer.allocate(length);
            long pos = offset;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new EOFException(name + " ended early");
                }
                pos += n;
            }
            return buf.array();
        } catch (NoSuchFileException e) {
            throw new NoSuchObjectException(name);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectName name) throws IOException {
        try {
            BasicFileAttributes a = Files.readAttributes(pathOf(name), BasicFileAttributes.class);
            return Optional.of(new ObjectInfo(name, a.size()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<ObjectInfo> list(ObjectType type) throws IOException {
        List<ObjectInfo> out = new ArrayList<>();
        if (type == ObjectType.CONFIG) {
            stat(ObjectName.CONFIG).ifPresent(out::add);
            return out;
        }
        Path dir = root.resolve(type.folder());
        if (type == ObjectType.DATA) {
            for (Path sub : children(dir)) {
                if (Files.isDirectory(sub)) {
                    addObjects(type, sub, out);
                }
            }
        } else {
            addObjects(type, dir, out);
        }
        return out;
    }

    private void addObjects(ObjectType type, Path dir, List<ObjectInfo> out) throws IOException {
        for (Path p : children(dir)) {
            String id = p.getFileName().toString();
            ObjectName name;
            try {
                name = ObjectName.of(type, id);
            } catch (IllegalArgumentException notAnObject) {
                continue;
            }
            try {
                out.add(new ObjectInfo(name, Files.readAttributes(p, BasicFileAttributes.class).size()));
            } catch (NoSuchFileException deletedMeanwhile) {
                // Listing promises only the objects that existed throughout.
            }
        }
    }

    private static List<Path> children(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                out.add(p);
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    @Override
    public void delete(ObjectName name) throws IOException {
        Path p = pathOf(name);
        if (Files.deleteIfExists(p)) {
            forceDirectory(p.getParent());
        }
    }

    /** Deletes leftovers of interrupted puts. Call only when no other process writes to this store. */
    public void removeTemporaryFiles() throws IOException {
        for (Path p : children(root.resolve(TMP))) {
            Files.deleteIfExists(p);
        }
    }

    private static void createDirectoriesDurably(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectoriesDurably(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        if (parent != null) {
            forceDirectory(parent);
        }
    }

    /** Why a write failed, in words: the JDK names some failures only by their exception's type. */
    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    @Override
    public String toString() {
        return "LocalDirectoryBlobStore[" + root + "]";
    }
}
