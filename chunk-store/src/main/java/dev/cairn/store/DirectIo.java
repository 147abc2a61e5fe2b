package dev.cairn.store;

import com.sun.nio.file.ExtendedOpenOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * Reads and writes of large files that bypass the page cache ({@code O_DIRECT}).
 *
 * <p>A backup reads each large source file once and writes each pack once: through the page cache, both cost the
 * kernel a copy of every byte and push the node's working set out of memory. Direct transfers move the bytes
 * between the device and an aligned buffer of this process instead. They need the file offset, the buffer's
 * address and the transfer's length aligned to the filesystem's block: every transfer here is at an offset and of
 * a length that are multiples of {@link #ALIGNMENT}, into a buffer aligned to it, which covers the block sizes of
 * local filesystems. Where a filesystem refuses direct transfers (some refuse to open with {@code O_DIRECT}, some
 * fail the first transfer), the file is read or written through the page cache as before: a slower path, never a
 * failure of its own.
 */
public final class DirectIo {
    /** Bytes per direct transfer, and the size of the buffers of {@link #newBuffer()}. */
    public static final int BLOCK = 2 << 20;

    /** Offsets and lengths of direct transfers are multiples of this, and buffers are aligned to it. */
    public static final int ALIGNMENT = 64 << 10;

    private DirectIo() {
    }

    /** A buffer of {@link #BLOCK} bytes aligned for direct transfers; native memory, for one thread at a time. */
    public static ByteBuffer newBuffer() {
        return ByteBuffer.allocateDirect(BLOCK + ALIGNMENT).alignedSlice(ALIGNMENT).slice(0, BLOCK);
    }

    /**
     * Opens {@code path} (not following a symbolic link) to read it without the page cache, through {@code buffer}
     * (from {@link #newBuffer()}), which the stream uses until it is closed. When the filesystem refuses direct
     * reads, the stream reads the file through the page cache instead.
     *
     * @throws NoSuchFileException when the file does not exist
     * @throws AccessDeniedException when it cannot be opened for reading
     */
    public static InputStream openForRead(Path path, ByteBuffer buffer) throws IOException {
        return openForRead(path, new ByteBuffer[] {buffer}, null);
    }

    /**
     * As {@link #openForRead(Path, ByteBuffer)}, reading ahead: with two buffers, the block after the one being
     * consumed is read on {@code readAhead} meanwhile. An executor shared by several streams needs a thread for
     * each stream open at once (a stream waits for its own read ahead).
     */
    public static InputStream openForRead(Path path, ByteBuffer[] buffers, Executor readAhead) throws IOException {
        FileChannel direct;
        try {
            direct = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS,
                    ExtendedOpenOption.DIRECT);
        } catch (NoSuchFileException | AccessDeniedException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // The filesystem refuses O_DIRECT (or the path is something it cannot be set on): the page cache.
            return buffered(path);
        }
        return new DirectInput(path, direct, buffers, readAhead);
    }

    private static InputStream buffered(Path path) throws IOException {
        return Channels.newInputStream(FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Writes {@code content[0, length)} to the new file {@code path}, which must not exist: the part up to the
     * last multiple of {@link #ALIGNMENT} with direct writes through {@code buffer} (from {@link #newBuffer()}),
     * the rest through the page cache, then forces the file to the medium. When the filesystem refuses direct
     * writes, the whole file goes through the page cache.
     */
    public static void writeNewFile(Path path, byte[] content, int length, ByteBuffer buffer) throws IOException {
        java.util.Objects.checkFromIndexSize(0, length, content.length);
        int aligned = length & -ALIGNMENT;
        int off = 0;
        if (aligned > 0) {
            off = writeDirect(path, content, aligned, buffer);
        }
        try (FileChannel ch = off == 0
                ? FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                : FileChannel.open(path, StandardOpenOption.WRITE)) {
            ch.position(off);
            writeBuffered(ch, content, off, length);
            ch.force(true);
        }
    }

    /**
     * Creates {@code path} and writes {@code content[0, aligned)} to it directly; the bytes written, or 0 when the
     * filesystem refused (the file is then removed again).
     */
    private static int writeDirect(Path path, byte[] content, int aligned, ByteBuffer buffer) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    ExtendedOpenOption.DIRECT);
        } catch (java.nio.file.FileAlreadyExistsException | AccessDeniedException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // The JDK creates the file before it asks for O_DIRECT: a refusal leaves it behind, empty.
            java.nio.file.Files.deleteIfExists(path);
            return 0;
        }
        int off = 0;
        try (ch) {
            blocks:
            while (off < aligned) {
                int n = Math.min(buffer.capacity(), aligned - off);
                buffer.clear().put(content, off, n).flip();
                while (buffer.hasRemaining()) {
                    int w;
                    try {
                        w = ch.write(buffer);
                    } catch (IOException e) {
                        if (off != 0) {
                            throw e;
                        }
                        // The first direct write refused (EINVAL: an alignment the filesystem does not take).
                        break blocks;
                    }
                    off += w;
                    if (w == 0 || (off & (ALIGNMENT - 1)) != 0) {
                        // A short transfer (a full disk ends so): the rest goes through the page cache, whose
                        // error, if there is one, names the problem.
                        break blocks;
                    }
                }
            }
        }
        if (off == 0) {
            java.nio.file.Files.deleteIfExists(path);
        }
        return off;
    }

    /** Writes {@code content[off, length)} at the channel's position, in slices of at most a mebibyte. */
    public static void writeBuffered(FileChannel ch, byte[] content, int off, int length) throws IOException {
        // In slices: the JDK stages each write through a native buffer of the size written, and keeps it per
        // thread; a whole pack at a time would pin a pack-sized native buffer to every thread.
        while (off < length) {
            ByteBuffer buf = ByteBuffer.wrap(content, off, Math.min(1 << 20, length - off));
            while (buf.hasRemaining()) {
                off += ch.write(buf);
            }
        }
    }

    /**
     * A file read with direct reads of {@link #BLOCK} bytes at aligned offsets. After a short read (the end of the
     * file as it was then) the next read starts again at the aligned offset below the first byte not yet delivered
     * and skips what was, so a file that grew meanwhile is read on without an unaligned transfer; a read that brings
     * nothing new is the end. With two buffers and an executor, the block after a full one is read ahead on the
     * executor while the caller consumes the current one: direct reads get no read-ahead from the kernel.
     */
    static final class DirectInput extends InputStream {
        private final Path path;
        private final FileChannel ch;
        private final ByteBuffer[] bufs;
        private final Executor readAhead;
        /** The buffer being delivered from. */
        private ByteBuffer buf;
        /** The read ahead under way (into the buffer other than {@link #buf}), or null. */
        private Future<Integer> pending;
        private ByteBuffer pendingBuf;
        private long pendingStart;
        /** File offset of the byte after the last one delivered. */
        private long delivered;
        private boolean eof;
        private boolean anyRead;
        private InputStream fallback;

        DirectInput(Path path, FileChannel ch, ByteBuffer[] bufs, Executor readAhead) {
            this.path = path;
            this.ch = ch;
            this.bufs = bufs;
            this.readAhead = bufs.length > 1 ? readAhead : null;
            this.buf = bufs[0];
            buf.clear().limit(0);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (fallback != null) {
                return fallback.read(b, off, len);
            }
            if (len == 0) {
                return 0;
            }
            if (!buf.hasRemaining() && !fill()) {
                return fallback != null ? fallback.read(b, off, len) : -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            delivered += n;
            return n;
        }

        /** Reads the next block; false at the end of the file (or when reads went over to the fallback). */
        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            long start = delivered & -ALIGNMENT;
            int skip = (int) (delivered - start);
            int n;
            if (pending != null && pendingStart == start) {
                n = awaitPending();
                buf = pendingBuf;
            } else {
                awaitQuietly();
                try {
                    n = readFully(buf, start);
                } catch (IOException e) {
                    if (anyRead) {
                        throw e;
                    }
                    // The filesystem opened the file for direct reads but refuses them: the page cache from here.
                    ch.close();
                    fallback = buffered(path);
                    return false;
                }
            }
            anyRead = true;
            if (n <= skip) {
                eof = true;
                buf.clear().limit(0);
                return false;
            }
            buf.flip().position(skip);
            if (n == buf.capacity() && readAhead != null) {
                ByteBuffer next = buf == bufs[0] ? bufs[1] : bufs[0];
                long at = start + n;
                pendingBuf = next;
                pendingStart = at;
                FutureTask<Integer> task = new FutureTask<>(() -> readFully(next, at));
                pending = task;
                readAhead.execute(task);
            }
            return true;
        }

        private int awaitPending() throws IOException {
            Future<Integer> p = pending;
            pending = null;
            try {
                return p.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading " + path);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw new IOException(path + ": " + e.getCause(), e.getCause());
            }
        }

        /** Waits for a read ahead still writing into a buffer, ignoring how it ended. */
        private void awaitQuietly() {
            if (pending == null) {
                return;
            }
            Future<Integer> p = pending;
            pending = null;
            boolean interrupted = false;
            while (true) {
                try {
                    p.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** Fills {@code b} from {@code start}; the bytes read, short only at the end of the file. */
        private int readFully(ByteBuffer b, long start) throws IOException {
            b.clear();
            int total = 0;
            while (b.hasRemaining()) {
                int n = ch.read(b, start + total);
                if (n <= 0) {
                    break;
                }
                total += n;
                if ((total & (ALIGNMENT - 1)) != 0) {
                    break; // a transfer that ended off the alignment ended at the end of the file
                }
            }
            return total;
        }

        /** Whether every read so far was a direct one (no fallback to the page cache). */
        boolean direct() {
            return fallback == null;
        }

        @Override
        public void close() throws IOException {
            // The buffers go back to the caller: no read ahead may still be writing into one.
            awaitQuietly();
            try {
                ch.close();
            } finally {
                if (fallback != null) {
                    fallback.close();
                }
            }
        }
    }
}
