package dev.cairn.restore;

import dev.cairn.backup.Excludes;
import dev.cairn.backup.RawPaths;
import dev.cairn.catalog.BlobIndex;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.PackedBlob;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restores a snapshot's tree into a target directory.
 *
 * <p>Plan, then execute, in batches: the planner walks the snapshot on the calling thread, creates directories,
 * links and special files, decides for each regular file what the overwrite policy asks, and looks its chunks up in
 * the index. When a batch holds enough chunk references, its reads are grouped by pack and each pack's needed ranges
 * are fetched once (nearby blobs in one ranged read, each range a task) by a pool of workers, which decrypt each blob
 * once and write it to every place that holds it, while the planner goes on with the next batch. Files are written under {@code .NAME.cairn-partial} and renamed into place when
 * their last chunk is written, so a failed or interrupted restore never leaves a half-written file under its final
 * name; run again, it keeps every file already complete (size and mtime match) and writes the rest. All-zero chunks
 * become holes. Hardlinks are linked to the first path restored for their inode; ownership is restored only as root;
 * directory metadata is set after all their contents. Memory is bounded by the batch size, not the snapshot's size.
 */
public final class Restorer {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    /** The ids a new file gets; ownership is only changed when the snapshot says otherwise. */
    private static final long OWN_UID;
    private static final long OWN_GID;

    static {
        long uid = -1;
        long gid = -1;
        try {
            com.sun.security.auth.module.UnixSystem u = new com.sun.security.auth.module.UnixSystem();
            uid = u.getUid();
            gid = u.getGid();
        } catch (LinkageError | RuntimeException unavailable) {
            // always set ownership
        }
        OWN_UID = uid;
        OWN_GID = gid;
    }
    /** A batch is handed to the workers when it references this many chunks (or files), or this many bytes. */
    private static final int BATCH_REFS = 8192;
    private static final long BATCH_BYTES = 256L << 20;
    /** Needed blobs of a pack closer than this are fetched in one ranged read... */
    private static final long MERGE_GAP = 1L << 20;
    /** ...of at most this many bytes (unless one blob is larger). */
    private static final long MAX_RANGE = 4L << 20;
    private static final byte[] ZEROS = new byte[64 * 1024];
    private static final byte[] PARTIAL = ".cairn-partial".getBytes(StandardCharsets.US_ASCII);

    private final Repository repo;
    private final BlobIndex index;
    private final MetadataReader reader;
    private final RestoreOptions options;
    private final RestoreListener listener;
    private final Excludes.Matcher includes;
    private final Excludes.Matcher excludes;

    private final ConcurrentLinkedQueue<String> warnings = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final Map<List<Long>, Path> hardlinks = new HashMap<>();
    private final List<Dir> madeDirs = new ArrayList<>();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private long unchanged;
    private long others;
    private long deleted;

    private List<FileJob> batch = new ArrayList<>();
    private List<Path[]> batchLinks = new ArrayList<>();
    private int batchRefs;
    private long batchBytes;
    private Pending inFlight;

    private ExecutorService pool;
    private final ConcurrentLinkedQueue<BlobCodec> codecs = new ConcurrentLinkedQueue<>();
    private final ThreadLocal<BlobCodec> codec = ThreadLocal.withInitial(() -> {
        BlobCodec c = newCodec();
        codecs.add(c);
        return c;
    });
    private final ThreadLocal<ChunkIdHasher> hasher;

    public Restorer(Repository repo, BlobIndex index, MetadataReader reader, RestoreOptions options,
            RestoreListener listener) {
        this.repo = repo;
        this.index = index;
        this.reader = reader;
        this.options = options;
        this.listener = listener;
        this.includes = Excludes.matcher(options.include());
        this.excludes = Excludes.matcher(options.exclude());
        this.hasher = ThreadLocal.withInitial(repo::newIdHasher);
    }

    private BlobCodec newCodec() {
        return repo.newCodec();
    }

    /** A directory of the target: created when something is restored into it. */
    private static final class Dir {
        final Dir parent;
        final Path path;
        final Node node;
        final boolean whole;
        boolean ready;
        boolean existed;

        Dir(Dir parent, Path path, Node node, boolean whole) {
            this.parent = parent;
            this.path = path;
            this.node = node;
            this.whole = whole;
        }
    }

    /** A regular file being written: its place, its chunks, and how many of its chunk writes are outstanding. */
    private static final class FileJob {
        final Node node;
        final Path path;
        final Path partial;
        final List<IndexEntry> blobs;
        final boolean write;
        final AtomicInteger remaining;
        /** Renamed into place: complete. */
        volatile boolean done;
        /** A directory is in the way and is removed before the file is renamed into place. */
        boolean replacesDirectory;
        /** Created in a directory this restore made, so it starts with this process's ids and no inherited group. */
        boolean fresh;

        FileJob(Node node, Path path, Path partial, List<IndexEntry> blobs, boolean write) {
            this.node = node;
            this.path = path;
            this.partial = partial;
            this.blobs = blobs;
            this.write = write;
            this.remaining = new AtomicInteger(blobs.size());
        }
    }

    /** One place a blob goes: a file and an offset in it. */
    private record Ref(PackedBlob blob, FileJob job, long offset) {
    }

    /**
     * Restores every entry of the snapshot tree {@code root} (whose path inside the snapshot is {@code rootPath})
     * into {@code target}, which is created if missing.
     *
     * @throws IOException when a file cannot be written or a blob is missing or damaged; files already renamed into
     *     place are complete, the rest are removed
     */
    public RestoreResult restore(BlobId root, String rootPath, Path target) throws IOException {
        Dir top = new Dir(null, target, null, true);
        if (!options.dryRun()) {
            BlobCodec.prepareForBulkOpen();
        }
        pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "cairn-restore");
            t.setDaemon(true);
            return t;
        });
        try {
            if (!options.dryRun() && !Files.isDirectory(target)) {
                Files.createDirectories(target);
                top.ready = true;
            } else {
                top.ready = true;
                top.existed = Files.isDirectory(target);
            }
            boolean included = includes.isEmpty() || includes.matches(Path.of(rootPath));
            try {
                planDir(reader.tree(root), rootPath, top, included);
                flush();
            } catch (IOException | RuntimeException e) {
                try {
                    drain(); // finish or clean up the batch in flight before reporting
                } catch (IOException | RuntimeException second) {
                    e.addSuppressed(second);
                }
                throw e;
            }
            drain();
            if (!options.dryRun()) {
                for (int i = madeDirs.size() - 1; i >= 0; i--) {
                    metadata(madeDirs.get(i).node, madeDirs.get(i).path);
                }
            }
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            codecs.forEach(BlobCodec::close);
        }
        return new RestoreResult(files.get(), unchanged, madeDirs.size(), others, bytes.get(), deleted,
                verified.get(), List.copyOf(warnings), List.copyOf(errors));
    }

    // ---------------------------------------------------------------- planning

    private void planDir(Tree tree, String dirPath, Dir dir, boolean whole) throws IOException {
        Set<FileName> existing = null;
        if (dir.ready && dir.existed && (options.delete() || options.overwrite() != Overwrite.ALWAYS)) {
            existing = listNames(dir.path);
        }
        Set<FileName> keep = new HashSet<>();
        boolean matching = !excludes.isEmpty() || !whole && !includes.isEmpty();
        for (Node n : tree.nodes()) {
            checkName(n.name());
            String path = !matching && n.type() != NodeType.DIRECTORY ? null
                    : dirPath.endsWith("/") ? dirPath + n.name() : dirPath + "/" + n.name();
            Path snapPath = matching ? Path.of(path) : null;
            if (!excludes.isEmpty() && excludes.matches(snapPath)) {
                keep.add(n.name());
                continue;
            }
            boolean in = whole || includes.matches(snapPath);
            Path p = RawPaths.resolve(dir.path, n.name());
            if (n.type() == NodeType.DIRECTORY) {
                keep.add(n.name());
                Dir child = new Dir(dir, p, n, in);
                if (in) {
                    ensure(child);
                }
                planDir(reader.tree(n.subtree()), path, child, in);
                continue;
            }
            if (!in) {
                keep.add(n.name());
                continue;
            }
            ensure(dir);
            if (existing == null && dir.existed && !options.dryRun()) {
                existing = listNames(dir.path);
            }
            keep.add(n.name());
            boolean present = existing != null && existing.contains(n.name())
                    || options.dryRun() && dir.existed && Files.exists(p, LinkOption.NOFOLLOW_LINKS);
            boolean partialLeft = existing != null && existing.contains(partialName(n.name()));
            planEntry(n, p, present, partialLeft, !dir.existed);
        }
        if (options.delete() && whole && dir.ready && dir.existed) {
            Set<FileName> names = existing != null ? existing : listNames(dir.path);
            for (FileName name : names) {
                if (!keep.contains(name)) {
                    Path victim = RawPaths.resolve(dir.path, name);
                    String vpath = (dirPath.endsWith("/") ? dirPath : dirPath + "/") + name;
                    if (!excludes.isEmpty() && excludes.matches(Path.of(vpath))) {
                        continue;
                    }
                    listener.action("delete", victim);
                    if (!options.dryRun()) {
                        deleteTree(victim);
                    }
                    deleted++;
                }
            }
        }
    }

    private static Set<FileName> listNames(Path dir) throws IOException {
        Set<FileName> names = new HashSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                names.add(RawPaths.name(p));
            }
        } catch (NoSuchFileException gone) {
            return names;
        }
        return names;
    }

    /** Creates {@code d} and the directories above it, once. */
    private void ensure(Dir d) throws IOException {
        if (d.ready) {
            return;
        }
        ensure(d.parent);
        if (d.parent.existed) {
            BasicFileAttributes a = attributes(d.path);
            if (a != null && a.isDirectory()) {
                d.existed = true;
            } else if (a != null) {
                if (options.overwrite() == Overwrite.NEVER) {
                    throw new IOException(d.path + ": exists and is not a directory (kept: --overwrite never)");
                }
                listener.action("delete", d.path);
                if (!options.dryRun()) {
                    Files.delete(d.path);
                }
            }
        }
        if (!d.existed && !options.dryRun()) {
            Files.createDirectory(d.path);
        }
        d.ready = true;
        madeDirs.add(d);
    }

    private static BasicFileAttributes attributes(Path p) throws IOException {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private void planEntry(Node n, Path p, boolean present, boolean partialLeft, boolean freshDir)
            throws IOException {
        BasicFileAttributes old = present ? attributes(p) : null;
        if (old != null && keepExisting(n, old)) {
            listener.action("keep", p);
            if (n.type() == NodeType.FILE) {
                unchanged++;
                if (options.verify()) {
                    addJob(new FileJob(n, p, null, lookup(n, p), false));
                }
            } else {
                others++;
            }
            return;
        }
        if (n.type() == NodeType.FILE) {
            if (n.links() > 1) {
                List<Long> key = List.of(n.deviceId(), n.inode());
                Path first = hardlinks.putIfAbsent(key, p);
                if (first != null) {
                    listener.action("link", p);
                    batchLinks.add(new Path[] {p, first});
                    return;
                }
            }
            listener.action("restore", p);
            Path partial = RawPaths.resolve(p.getParent(), partialName(n.name()));
            if (!options.dryRun() && partialLeft) {
                Files.deleteIfExists(partial); // left by an interrupted restore; its holes may hold stale bytes
            }
            FileJob job = new FileJob(n, p, partial, lookup(n, p), true);
            job.replacesDirectory = old != null && old.isDirectory();
            job.fresh = freshDir;
            addJob(job);
            return;
        }
        listener.action("restore", p);
        others++;
        if (options.dryRun()) {
            return;
        }
        if (old != null) {
            if (old.isDirectory()) {
                deleteTree(p);
            } else {
                Files.delete(p);
            }
        }
        switch (n.type()) {
            case SYMLINK -> {
                Files.createSymbolicLink(p, RawPaths.path(n.linkTarget()));
                metadata(n, p);
            }
            case FIFO, CHAR_DEVICE, BLOCK_DEVICE -> {
                if (special(n, p)) {
                    metadata(n, p);
                }
            }
            case SOCKET -> warnings.add(p + ": sockets are not restored");
            default -> throw new IllegalStateException(n.type().toString());
        }
    }

    private boolean keepExisting(Node n, BasicFileAttributes old) {
        return switch (options.overwrite()) {
            case ALWAYS -> false;
            case NEVER -> true;
            case IF_NEWER -> n.mtimeNanos() <= old.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            case IF_CHANGED -> n.type() == NodeType.FILE && old.isRegularFile() && old.size() == n.size()
                    && old.lastModifiedTime().to(TimeUnit.NANOSECONDS) == n.mtimeNanos();
        };
    }

    private List<IndexEntry> lookup(Node n, Path p) throws IOException {
        List<IndexEntry> out = new ArrayList<>(n.content().size());
        for (BlobId id : n.content()) {
            out.add(index.find(id).orElseThrow(() -> new CorruptObjectException(
                    "data blob " + id.shortHex() + " of " + p, "no index file lists it")));
        }
        return out;
    }

    private void addJob(FileJob job) throws IOException {
        batch.add(job);
        batchRefs += Math.max(1, job.blobs.size());
        batchBytes += job.write ? job.node.size() : 0;
        if (batchRefs >= BATCH_REFS || batchBytes >= BATCH_BYTES) {
            flush();
        }
    }

    /** {@code .NAME.cairn-partial}: where a file is written before it is complete. */
    static FileName partialName(FileName name) {
        byte[] b = name.bytes();
        byte[] partial = new byte[b.length + 1 + PARTIAL.length];
        partial[0] = '.';
        System.arraycopy(b, 0, partial, 1, b.length);
        System.arraycopy(PARTIAL, 0, partial, b.length + 1, PARTIAL.length);
        return FileName.of(partial);
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

    // ---------------------------------------------------------------- execution

    /** A batch handed to the workers: its files, the hardlinks to make after them, and the work in flight. */
    private record Pending(List<FileJob> jobs, List<Path[]> links, List<Future<?>> work) {
    }

    /**
     * Hands the planned batch to the workers and returns while they write it, so that planning the next batch
     * overlaps with writing this one; first waits for the batch before (one batch in flight at a time).
     */
    private void flush() throws IOException {
        List<FileJob> jobs = batch;
        List<Path[]> links = batchLinks;
        batch = new ArrayList<>();
        batchLinks = new ArrayList<>();
        batchRefs = 0;
        batchBytes = 0;
        if (options.dryRun()) {
            for (FileJob j : jobs) {
                if (j.write) {
                    listener.wrote(1, j.node.size());
                    files.incrementAndGet();
                    bytes.addAndGet(j.node.size());
                }
            }
            files.addAndGet(links.size());
            return;
        }
        Map<BlobId, List<Ref>> byPack = new LinkedHashMap<>();
        List<Future<?>> work = new ArrayList<>();
        AtomicBoolean failed = new AtomicBoolean();
        for (FileJob j : jobs) {
            if (!j.write) {
                continue;
            }
            if (j.blobs.isEmpty()) {
                work.add(pool.submit(guarded(failed, () -> finish(j))));
                continue;
            }
            long off = 0;
            for (IndexEntry e : j.blobs) {
                byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(new Ref(e.blob(), j, off));
                off += e.blob().rawLength();
            }
        }
        for (Map.Entry<BlobId, List<Ref>> e : byPack.entrySet()) {
            ObjectName pack = ObjectName.of(ObjectType.DATA, e.getKey().hex());
            for (List<Ref> range : ranges(e.getValue())) {
                work.add(pool.submit(guarded(failed, () -> restoreRange(pack, range))));
            }
        }
        // The new batch is in flight before the previous one is waited for: if that wait fails, the caller's
        // drain() still waits for this one and removes what it left unfinished.
        Pending previous = inFlight;
        inFlight = new Pending(jobs, links, work);
        complete(previous);
    }

    /** Waits for the batch in flight, makes its hardlinks and starts verifying it. */
    private void complete(Pending p) throws IOException {
        if (p == null) {
            return;
        }
        try {
            await(p.work());
        } catch (IOException | RuntimeException e) {
            for (FileJob j : p.jobs()) {
                if (j.write && !j.done) {
                    Files.deleteIfExists(j.partial);
                }
            }
            throw e;
        }
        for (Path[] l : p.links()) {
            Files.deleteIfExists(l[0]);
            Files.createLink(l[0], l[1]);
            files.incrementAndGet();
        }
        if (options.verify()) {
            List<Future<?>> checks = new ArrayList<>();
            for (FileJob j : p.jobs()) {
                checks.add(pool.submit(guarded(new AtomicBoolean(), () -> verify(j))));
            }
            await(checks);
        }
    }

    /** Waits for everything handed to the workers. */
    private void drain() throws IOException {
        Pending last = inFlight;
        inFlight = null;
        complete(last);
    }

    /**
     * Splits one pack's references (any order) into ranges to fetch: sorted by offset, neighbours closer than
     * {@link #MERGE_GAP} in one read, no read longer than {@link #MAX_RANGE} unless a single blob is. Each range is
     * a task of its own, so a batch's work spreads over all workers even when it touches few packs.
     */
    private static List<List<Ref>> ranges(List<Ref> refs) {
        refs.sort(Comparator.comparingLong((Ref r) -> r.blob().offset()));
        List<List<Ref>> out = new ArrayList<>();
        int i = 0;
        while (i < refs.size()) {
            long start = refs.get(i).blob().offset();
            long end = start + refs.get(i).blob().length();
            int j = i + 1;
            while (j < refs.size()) {
                PackedBlob b = refs.get(j).blob();
                long bEnd = Math.max(end, b.offset() + b.length());
                if (b.offset() - end > MERGE_GAP || bEnd - start > MAX_RANGE) {
                    break;
                }
                end = bEnd;
                j++;
            }
            out.add(refs.subList(i, j));
            i = j;
        }
        return out;
    }

    @FunctionalInterface
    private interface Task {
        void run() throws IOException;
    }

    /**
     * A task of a batch that does nothing once another task of the batch has failed. Tasks are never cancelled
     * (a cancelled task may still be running, and write after its batch was cleaned up); they end early instead.
     */
    private static java.util.concurrent.Callable<Void> guarded(AtomicBoolean failed, Task t) {
        return () -> {
            if (failed.get()) {
                return null;
            }
            try {
                t.run();
            } catch (IOException | RuntimeException e) {
                failed.set(true);
                throw e;
            }
            return null;
        };
    }

    /** Waits until every task of {@code work} has ended; rethrows the first failure. */
    private static void await(List<Future<?>> work) throws IOException {
        Throwable failure = null;
        for (Future<?> f : work) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new InterruptedIOException("restore interrupted");
            } catch (ExecutionException e) {
                failure = failure != null ? failure : e.getCause();
            }
        }
        if (failure instanceof IOException io) {
            throw io;
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Fetches one range of a pack, opens each blob in it once and writes it to every place that holds it. */
    private void restoreRange(ObjectName pack, List<Ref> refs) throws IOException {
        PackedBlob firstBlob = refs.get(0).blob();
        long start = firstBlob.offset();
        long end = start;
        for (Ref r : refs) {
            end = Math.max(end, r.blob().offset() + r.blob().length());
        }
        byte[] range = repo.store().get(pack, start, (int) (end - start));
        String what = "data blob in " + pack;
        long lastOffset = -1;
        byte[] raw = null;
        boolean zero = false;
        for (Ref r : refs) {
            PackedBlob b = r.blob();
            if (b.offset() != lastOffset) {
                lastOffset = b.offset();
                raw = codec.get().open(b.type().kind(), b.id(), range, (int) (b.offset() - start), b.length(), what);
                if (raw.length != b.rawLength()) {
                    throw new CorruptObjectException("data blob " + b.id().shortHex() + " in " + pack, raw.length
                            + " bytes, the index says " + b.rawLength());
                }
                zero = isZero(raw);
            }
            write(r.job(), r.offset(), raw, zero);
        }
    }

    private void write(FileJob job, long offset, byte[] raw, boolean zero) throws IOException {
        boolean done;
        try (FileChannel ch = FileChannel.open(job.partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (!zero) {
                ByteBuffer b = ByteBuffer.wrap(raw);
                long pos = offset;
                while (b.hasRemaining()) {
                    pos += ch.write(b, pos);
                }
            }
            done = job.remaining.decrementAndGet() == 0;
            if (done) {
                setSize(ch, job.node.size());
            }
        } catch (IOException e) {
            throw new IOException(job.path + ": " + Restorer.reason(e), e);
        }
        bytes.addAndGet(raw.length);
        listener.wrote(done ? 1 : 0, raw.length);
        if (done) {
            rename(job);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A file without chunks (empty). */
    private void finish(FileJob job) throws IOException {
        try (FileChannel ch = FileChannel.open(job.partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            setSize(ch, job.node.size());
        } catch (IOException e) {
            throw new IOException(job.path + ": " + Restorer.reason(e), e);
        }
        listener.wrote(1, 0);
        rename(job);
    }

    /** Makes the file exactly {@code size} bytes long; a hole at the end stays a hole. */
    private static void setSize(FileChannel ch, long size) throws IOException {
        long now = ch.size();
        if (now > size) {
            ch.truncate(size);
        } else if (now < size) {
            ch.write(ByteBuffer.allocate(1), size - 1);
        }
    }

    private void rename(FileJob job) throws IOException {
        Path p = job.path;
        if (job.replacesDirectory) {
            deleteTree(p);
        }
        Files.move(job.partial, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        job.done = true;
        files.incrementAndGet();
        metadata(job.node, p, job.fresh);
    }

    private static boolean isZero(byte[] b) {
        for (int off = 0; off < b.length; off += ZEROS.length) {
            int n = Math.min(ZEROS.length, b.length - off);
            if (Arrays.mismatch(b, off, off + n, ZEROS, 0, n) >= 0) {
                return false;
            }
        }
        return b.length > 0;
    }

    /** Rereads a restored file and checks it against its chunk ids. */
    private void verify(FileJob job) throws IOException {
        Path p = job.path;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            if (ch.size() != job.node.size()) {
                errors.add(p + ": " + ch.size() + " bytes, the snapshot says " + job.node.size());
                return;
            }
            long pos = 0;
            ByteBuffer buf = null;
            for (IndexEntry e : job.blobs) {
                PackedBlob b = e.blob();
                if (buf == null || buf.capacity() < b.rawLength()) {
                    buf = ByteBuffer.allocate(b.rawLength());
                }
                buf.clear().limit(b.rawLength());
                while (buf.hasRemaining()) {
                    if (ch.read(buf, pos + buf.position()) < 0) {
                        break;
                    }
                }
                if (buf.hasRemaining() || !hasher.get().id(buf.array(), 0, b.rawLength()).equals(b.id())) {
                    errors.add(p + ": content at offset " + pos + " does not match the snapshot");
                    return;
                }
                pos += b.rawLength();
            }
        }
        verified.incrementAndGet();
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(p);
            return;
        }
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    // ---------------------------------------------------------------- metadata

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
            long major = n.deviceMajor();
            long minor = n.deviceMinor();
            cmd.addAll(List.of("mknod", p.toString(), n.type() == NodeType.CHAR_DEVICE ? "c" : "b",
                    Long.toString(major), Long.toString(minor)));
        } else {
            warnings.add(p + ": device nodes are restored only as root");
            return false;
        }
        return run(cmd, p);
    }

    private void metadata(Node n, Path p) {
        metadata(n, p, false);
    }

    /** Sets owner (as root), mode, xattrs and times; {@code fresh} entries already have this process's ids. */
    private void metadata(Node n, Path p, boolean fresh) {
        boolean link = n.type() == NodeType.SYMLINK;
        boolean special = n.type() != NodeType.FILE && n.type() != NodeType.DIRECTORY && !link;
        LinkOption[] opts = link ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        if (ROOT && !(fresh && n.uid() == OWN_UID && n.gid() == OWN_GID)) {
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
            for (dev.cairn.catalog.model.Xattr x : n.xattrList()) {
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
