package dev.cairn.backup;

import dev.cairn.catalog.Catalog;
import dev.cairn.catalog.CatalogSync;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.MetadataReader.SnapshotRef;
import dev.cairn.catalog.model.BackupSummary;
import dev.cairn.catalog.model.FileName;
import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Snapshot;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.DirectIo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.chunker.FastCdc;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.IndexFile;
import dev.cairn.store.pack.SealedObjects;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.repo.RepositoryLock;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One backup run.
 *
 * <p>The calling thread walks the sources depth first, one {@code lstat} per entry (an {@code fstatat} by name in
 * the directory's open listing), entries in name order, in step with the parent snapshot's trees (read from the
 * catalog's tree cache): an unchanged file reuses its chunk list without being opened, and a directory whose
 * entries all kept their parent nodes keeps the parent's tree without encoding it. Files to read go to
 * {@code threads} workers, at most a few per worker in flight, which read and chunk them; each chunk is copied into one of a few reused slots and handed to {@code threads}
 * sealers, which id, deduplicate, compress, encrypt and pack it, so one large file keeps every core busy. A
 * directory's tree is built and stored when its last child is done. Memory is bounded by the number of workers,
 * the chunk slots and the pack size, whatever the number of files or the size of the repository.
 *
 * <p>Commit order: packs, then the index files that cover them, then the snapshot. A shared lock is held (and
 * refreshed) throughout. A run that dies leaves only packs and index files. The next run that sees a sign of it
 * (the catalog's mark of a backup that did not finish, or the dead run's stale lock) lists the packs, indexes those
 * no index file covers and reuses their blobs; other runs read only the index files.
 */
public final class Backup {
    private static final int IN_FLIGHT_PER_THREAD = 4;
    /** Chunk slots per thread: chunks read and waiting for, or being sealed by, a sealer. */
    private static final int CHUNK_SLOTS_PER_THREAD = 2;

    /** Files of at least this size are read with direct reads ({@link DirectIo}). */
    static final long DIRECT_READ_MIN = 16 << 20;

    private final Repository repo;
    private final Catalog catalog;
    private final BackupOptions options;
    private final BackupProgress progress;
    private final dev.cairn.store.RateLimiter readLimit;
    private final FileAttributes attributes = new FileAttributes(true);
    private final Excludes.Matcher excluded;
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LongAdder filesNew = new LongAdder();
    private final LongAdder filesChanged = new LongAdder();
    private final LongAdder filesUnmodified = new LongAdder();
    private final LongAdder dirsNew = new LongAdder();
    private final LongAdder dirsChanged = new LongAdder();
    private final LongAdder dirsUnmodified = new LongAdder();
    private final LongAdder totalFiles = new LongAdder();
    private final LongAdder totalBytes = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();

    private MetadataReader reader;
    private final List<MetadataReader> readers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ThreadLocal<MetadataReader> scanReaders;
    private BlobSaver saver;
    private ExecutorService workers;
    private ExecutorService sealers;
    private BlockingQueue<byte[]> chunkSlots;
    private ForkJoinPool scanners;
    private Semaphore inFlight;
    private FastCdc chunker;
    private ThreadLocal<ChunkIdHasher> hashers;
    private ThreadLocal<byte[]> chunkBuffers;
    private ThreadLocal<java.nio.ByteBuffer[]> directBuffers;
    private ExecutorService readAhead;
    private ThreadLocal<byte[]> smallBuffers;
    private int smallFileLimit;

    private Backup(Repository repo, Catalog catalog, BackupOptions options, BackupProgress progress) {
        this.repo = repo;
        this.catalog = catalog;
        this.options = options;
        this.progress = progress;
        this.excluded = options.excludes().matcher();
        this.readLimit = options.readBytesPerSecond() > 0 ? dev.cairn.store.RateLimiter.of(options.readBytesPerSecond())
                : null;
    }

    /** Backs up {@code options.sources()} into {@code repo}, using and updating {@code catalog}. */
    public static BackupResult run(Repository repo, Catalog catalog, BackupOptions options, BackupProgress progress)
            throws IOException {
        return new Backup(repo, catalog, options, progress).run();
    }

    private BackupResult run() throws IOException {
        List<FileName> names = new ArrayList<>();
        for (Path source : options.sources()) {
            if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(source.toString(), null, "source does not exist");
            }
            FileName n = rootName(source);
            if (names.contains(n)) {
                throw new IllegalArgumentException("two sources are both named '" + n + "'; back them up separately");
            }
            names.add(n);
        }
        long started = System.nanoTime();
        Instant time = options.time() != null ? options.time() : repo.clock().instant();
        String host = options.host() != null ? options.host() : Repository.hostName();
        try (RepositoryLock lock = RepositoryLock.shared(repo); LockRefresher refresher = new LockRefresher(lock)) {
            // Packs without an index file are left only by a backup that did not finish. Listing every pack to
            // find them costs a request per thousand packs on S3 (and a stat per pack locally) on every run, so it
            // is done only when there is a sign of one: this catalog's own unfinished backup, a stale lock (a
            // writer that died holding it), or a catalog that knows nothing yet.
            boolean leftovers = !catalog.hasIndexFiles() || catalog.backupUnfinished() || lock.staleLocksSeen();
            indexLeftovers(leftovers ? CatalogSync.sync(repo, catalog) : CatalogSync.syncIndexes(repo, catalog));
            catalog.backupUnfinished(true);
            reader = new MetadataReader(repo, catalog);
            scanReaders = ThreadLocal.withInitial(() -> {
                MetadataReader r = new MetadataReader(repo, catalog);
                readers.add(r);
                return r;
            });
            // Two codecs per thread: the scan threads are many (to keep reads in flight) but sealing is CPU work,
            // and a codec's holder may be waiting for a core.
            saver = new BlobSaver(repo, catalog, 2 * options.threads());
            chunker = repo.chunker();
            hashers = ThreadLocal.withInitial(repo::newIdHasher);
            chunkBuffers = ThreadLocal.withInitial(() -> new byte[chunker.bufferSize()]);
            directBuffers = ThreadLocal.withInitial(() -> new java.nio.ByteBuffer[] {DirectIo.newBuffer(),
                DirectIo.newBuffer()});
            smallFileLimit = chunker.params().minSize();
            smallBuffers = ThreadLocal.withInitial(() -> new byte[smallFileLimit + 1]);
            workers = Executors.newFixedThreadPool(options.threads(), r -> {
                Thread t = new Thread(r, "cairn-backup-worker");
                t.setDaemon(true);
                return t;
            });
            inFlight = new Semaphore(options.threads() * IN_FLIGHT_PER_THREAD);
            // One read ahead at a time per worker: a worker waits only for its own.
            readAhead = Executors.newFixedThreadPool(options.threads(), r -> {
                Thread t = new Thread(r, "cairn-backup-read-ahead");
                t.setDaemon(true);
                return t;
            });
            sealers = Executors.newFixedThreadPool(options.threads(), r -> {
                Thread t = new Thread(r, "cairn-backup-sealer");
                t.setDaemon(true);
                return t;
            });
            int slots = options.threads() * CHUNK_SLOTS_PER_THREAD;
            chunkSlots = new ArrayBlockingQueue<>(slots);
            for (int i = 0; i < slots; i++) {
                chunkSlots.add(new byte[0]); // each grows to the chunks it carries, at most the maximum chunk size
            }
            // Directories are scanned in parallel; LIFO order keeps the walk depth first, so pending
            // directories stay bounded by depth times fan-out rather than growing with the tree.
            AtomicInteger scanThreadNumber = new AtomicInteger();
            scanners = new ForkJoinPool(options.scanThreads(), pool -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                // Numbered here: the pool index is assigned only once the thread runs.
                t.setName("cairn-scan-" + scanThreadNumber.getAndIncrement());
                t.setDaemon(true);
                return t;
            }, null, false);
            try {
                SnapshotRef parent = findParent(host);
                if (parent != null && parent.snapshot().summary() != null) {
                    progress.expect(parent.snapshot().summary().totalFiles(), parent.snapshot().summary().totalBytes());
                }
                Tree parentRoot = parent == null ? null : reader.tree(parent.snapshot().tree());
                List<CompletableFuture<Node>> roots = new ArrayList<>();
                for (int i = 0; i < options.sources().size(); i++) {
                    Path source = options.sources().get(i);
                    Node parentNode = parentRoot == null ? null : parentRoot.find(names.get(i));
                    roots.add(entry(source, names.get(i), parentNode, -1, null, null));
                }
                List<Node> rootNodes = await(roots);
                BlobId rootTree = saveTree(new Tree(rootNodes), parent == null ? null : parent.snapshot().tree());
                saver.flush();
                BackupSummary summary = new BackupSummary(filesNew.sum(), filesChanged.sum(), filesUnmodified.sum(),
                        dirsNew.sum(), dirsChanged.sum(), dirsUnmodified.sum(), saver.dataBlobs.get(),
                        saver.treeBlobs.get(), saver.dataAdded.get(), saver.bytesStored(), totalFiles.sum(),
                        totalBytes.sum(), bytesRead.sum(), warnings.size(), (System.nanoTime() - started) / 1e9);
                Snapshot snap = new Snapshot(Snapshot.VERSION, time, host, System.getProperty("user.name", ""),
                        options.sources().stream().map(Path::toString).toList(), options.tags(),
                        parent == null ? null : parent.id(), rootTree, summary);
                byte[] raw = MetadataCodec.encodeSnapshot(snap);
                ObjectName name;
                try (BlobCodec codec = repo.newCodec()) {
                    name = SealedObjects.save(repo.store(), codec, ObjectType.SNAPSHOT, BlobKind.SNAPSHOT, raw);
                }
                catalog.cacheSnapshot(name.id(), raw);
                catalog.backupUnfinished(false);
                return new BackupResult(name.id(), parent == null ? null : parent.id(), summary, List.copyOf(warnings));
            } finally {
                scanners.shutdownNow();
                workers.shutdownNow();
                readAhead.shutdownNow();
                sealers.shutdownNow();
                // After a failure or an interrupt, tasks may still be running: they use the catalog, which the
                // caller closes when this returns (a native RocksDB handle), so wait for them to end first.
                awaitQuietly(scanners);
                awaitQuietly(workers);
                awaitQuietly(readAhead);
                awaitQuietly(sealers);
                reader.close();
                for (MetadataReader r : readers) {
                    r.close();
                }
                saver.close();
            }
        }
    }

    private static void awaitQuietly(java.util.concurrent.ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        try {
            while (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Writes an index file for packs an interrupted run stored without one, so their blobs count as stored. */
    private void indexLeftovers(CatalogSync.Result sync) throws IOException {
        if (sync.unindexedEntries().isEmpty()) {
            return;
        }
        ObjectName name;
        try (BlobCodec codec = repo.newCodec()) {
            name = IndexFile.save(repo.store(), codec, sync.unindexedEntries());
        }
        Set<BlobId> packs = new HashSet<>();
        for (IndexEntry e : sync.unindexedEntries()) {
            packs.add(e.pack());
        }
        catalog.markIndexed(name.id(), packs);
    }

    private SnapshotRef findParent(String host) throws IOException {
        if (options.force()) {
            return null;
        }
        if (options.parent() != null) {
            return reader.resolve(options.parent());
        }
        List<String> paths = options.sources().stream().map(Path::toString).toList();
        SnapshotRef best = null;
        for (SnapshotRef r : reader.snapshots()) {
            if (r.snapshot().host().equals(host) && r.snapshot().paths().equals(paths)) {
                best = r;
            }
        }
        return best;
    }

    static FileName rootName(Path source) {
        return source.getFileName() == null ? FileName.of("root") : RawPaths.name(source);
    }

    /** Waits for every future; nulls (entries left out) are dropped. Rethrows the run's first failure. */
    private List<Node> await(List<CompletableFuture<Node>> futures) throws IOException {
        CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0]));
        try {
            // Interruptible, unlike join(): a daemon stopping on SIGTERM interrupts the run, which then unwinds
            // (workers stopped, lock released) and leaves the repository as a killed run would: valid.
            all.get();
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
        } catch (InterruptedException e) {
            // The interrupt becomes this failure; the flag stays clear so that releasing the lock (a request to the
            // store) is not refused on the way out.
            failure.compareAndSet(null, new InterruptedIOException("backup interrupted"));
        }
        Throwable f = failure.get();
        if (f != null) {
            if (f instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (f instanceof IOException io) {
                throw io;
            }
            if (f instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(f);
        }
        List<Node> out = new ArrayList<>(futures.size());
        for (CompletableFuture<Node> c : futures) {
            Node n = c.join();
            if (n != null) {
                out.add(n);
            }
        }
        return out;
    }

    /**
     * Starts backing up one entry; the future yields null when it is left out. {@code in} is the open listing of
     * its directory (null for a source), where it is looked up by {@code fileName} alone.
     */
    private CompletableFuture<Node> entry(Path path, FileName name, Node parent, long rootDevice,
            SecureDirectoryStream<Path> in, Path fileName) {
        if (failure.get() != null) {
            return CompletableFuture.completedFuture(null);
        }
        if (!excluded.isEmpty() && rootDevice != -1 && excluded.matches(path)) {
            return CompletableFuture.completedFuture(null);
        }
        Node node;
        try {
            node = attributes.read(path, name, options.force() ? null : parent, in, fileName);
        } catch (NoSuchFileException e) {
            warn(path, "vanished before it was read");
            return CompletableFuture.completedFuture(null);
        } catch (AccessDeniedException e) {
            warn(path, "permission denied");
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
        progress.scanned(path, node.size());
        return switch (node.type()) {
            case DIRECTORY -> {
                // Directories are listed and walked on the scan pool, in parallel.
                long device = rootDevice == -1 ? node.deviceId() : rootDevice;
                Node dirNode = node;
                yield CompletableFuture.supplyAsync(() -> directory(path, dirNode, parent, device), scanners)
                        .thenCompose(f -> f);
            }
            case FILE -> file(path, node, parent);
            default -> CompletableFuture.completedFuture(
                    parent != null && ParentMerge.sameExceptAccessTime(parent, node) ? parent : node);
        };
    }

    /**
     * Walks one directory: lists it, starts each entry in name order against the parent's entry of that name, and
     * saves its tree once every entry is done. The future yields null when the directory is left out.
     *
     * <p>Kept in small methods: this is the scan's hottest loop, and the JIT compiles (and, when a profile changes,
     * recompiles) each piece on its own instead of one large unit with everything inlined.
     */
    private CompletableFuture<Node> directory(Path dir, Node node, Node parent, long rootDevice) {
        try {
            if (options.excludes().oneFileSystem() && node.deviceId() != rootDevice) {
                // Another filesystem's mount point: kept as an empty directory.
                return CompletableFuture.completedFuture(finishDirectory(node, null, List.of(), false));
            }
            DirectoryStream<Path> ds = open(dir);
            if (ds == null) {
                return CompletableFuture.completedFuture(null);
            }
            // Open until every entry has been looked at: each is looked up in it by name (fstatat), not by a path
            // the kernel walks from the root again.
            try (ds) {
                List<Child> children = list(ds);
                if (hasExcludeMarker(children)) {
                    return CompletableFuture.completedFuture(null);
                }
                Tree parentTree = parent != null && parent.type() == NodeType.DIRECTORY
                        ? scanReaders.get().tree(parent.subtree()) : null;
                CompletableFuture<Node>[] entries = startEntries(children, parentTree, rootDevice,
                        ds instanceof SecureDirectoryStream<Path> secure ? secure : null);
                return CompletableFuture.allOf(entries)
                        .thenApply(v -> finishListed(node, parent, parentTree, entries));
            }
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A directory's entry: its name (the bytes on disk), its path, and its name as a relative path. */
    private record Child(FileName name, Path path, Path fileName) {
    }

    /** Opens {@code dir} for listing, or returns null when it vanished or cannot be listed (warned about). */
    private DirectoryStream<Path> open(Path dir) throws IOException {
        try {
            return Files.newDirectoryStream(dir);
        } catch (NoSuchFileException | NotDirectoryException e) {
            warn(dir, "vanished before it was listed");
            return null;
        } catch (AccessDeniedException e) {
            warn(dir, "permission denied");
            return null;
        }
    }

    /** The entries of a directory, sorted by name. */
    private static List<Child> list(DirectoryStream<Path> ds) {
        List<Child> children = new ArrayList<>();
        for (Path p : ds) {
            Path fileName = p.getFileName();
            children.add(new Child(RawPaths.whole(fileName), p, fileName));
        }
        // Sorted as a list, not as a Child[]: the JIT's sort is shared with every other sort of the run, and an
        // array of a type of its own made it trap and recompile (array_check) five times in a first backup.
        children.sort(BY_NAME);
        return children;
    }

    private static final Comparator<Child> BY_NAME = (a, b) -> a.name().compareTo(b.name());

    /** Whether the directory holds one of the exclude-if-present marker files. */
    private boolean hasExcludeMarker(List<Child> children) {
        List<String> markers = options.excludes().ifPresent();
        if (markers.isEmpty()) {
            return false;
        }
        for (String marker : markers) {
            FileName m = FileName.of(marker);
            for (Child c : children) {
                if (c.name().equals(m)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Starts every entry of a listed directory, in name order, each against its parent entry. */
    private CompletableFuture<Node>[] startEntries(List<Child> children, Tree parentTree, long rootDevice,
            SecureDirectoryStream<Path> in) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Node>[] entries = new CompletableFuture[children.size()];
        ParentMerge.Walk parents = new ParentMerge.Walk(parentTree);
        for (int i = 0; i < entries.length; i++) {
            Child c = children.get(i);
            entries[i] = entry(c.path(), c.name(), parents.find(c.name()), rootDevice, in, c.fileName());
        }
        return entries;
    }

    /** The directory's node once every entry is done: the entries left out dropped, its tree saved. */
    private Node finishListed(Node node, Node parent, Tree parentTree, CompletableFuture<Node>[] entries) {
        List<Node> nodes = new ArrayList<>(entries.length);
        for (CompletableFuture<Node> f : entries) {
            Node n = f.join();
            if (n != null) {
                nodes.add(n);
            }
        }
        try {
            return finishDirectory(node, parent, nodes, parentTree != null && sameNodes(parentTree.nodes(), nodes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code nodes} are the parent tree's own node objects, every one of them and in its order. An entry
     * keeps its parent node only when nothing but its atime moved (a directory, only when its tree id did not move
     * either), so such a tree is the parent's tree: it needs no encoding and no hashing. In a run that changes
     * little, that is nearly every directory.
     */
    private static boolean sameNodes(List<Node> parentNodes, List<Node> nodes) {
        if (parentNodes.size() != nodes.size()) {
            return false;
        }
        for (int i = 0; i < nodes.size(); i++) {
            if (parentNodes.get(i) != nodes.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Saves the directory's tree (unless {@code parentsTree}: its entries are the parent tree's, see
     * {@link #sameNodes}) and returns its node.
     */
    private Node finishDirectory(Node node, Node parent, List<Node> children, boolean parentsTree)
            throws IOException {
        BlobId parentTreeId = parent != null && parent.type() == NodeType.DIRECTORY ? parent.subtree() : null;
        BlobId tree = parentsTree ? parentTreeId : saveTree(new Tree(children), parentTreeId);
        if (parent == null || parent.type() != NodeType.DIRECTORY) {
            dirsNew.increment();
        } else if (tree.equals(parent.subtree())) {
            dirsUnmodified.increment();
            if (ParentMerge.sameExceptAccessTime(parent, node)) {
                // Listing a directory moves its atime; an otherwise identical directory keeps its parent node so
                // that its tree id, and every tree above it, stays the same.
                return parent;
            }
        } else {
            dirsChanged.increment();
        }
        return node.withSubtree(tree);
    }

    private CompletableFuture<Node> file(Path path, Node node, Node parent) {
        totalFiles.increment();
        if (!options.force() && ParentMerge.contentUnchanged(parent, node)) {
            filesUnmodified.increment();
            totalBytes.add(node.size());
            progress.file(path, node.size(), 0);
            // No lookup of its chunks: the parent is a committed snapshot, and prune never removes what a kept
            // snapshot uses.
            return CompletableFuture.completedFuture(ParentMerge.unchangedFile(parent, node));
        }
        if (node.size() <= smallFileLimit) {
            // One chunk by definition: read it here, on the (parallel) scan thread, with no hand-off.
            try {
                return CompletableFuture.completedFuture(readFile(path, node, parent));
            } catch (IOException | RuntimeException e) {
                failure.compareAndSet(null, e);
                return CompletableFuture.failedFuture(e);
            }
        }
        try {
            inFlight.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(new IOException("backup interrupted"));
        }
        return submit(() -> readFile(path, node, parent), inFlight::release, workers);
    }

    /** Work for a pool that may fail with an {@link IOException}. */
    @FunctionalInterface
    private interface IoWork<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code work} on {@code pool}; a failure becomes the run's (the first one wins) and fails the future, and
     * {@code release} runs after it either way.
     */
    private <T> CompletableFuture<T> submit(IoWork<T> work, Runnable release, ExecutorService pool) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.run();
            } catch (IOException e) {
                failure.compareAndSet(null, e);
                throw new UncheckedIOException(e);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
                throw e;
            } finally {
                release.run();
            }
        }, pool);
    }

    /** Reads, chunks and stores one file on a worker thread. Null when it vanished or cannot be read. */
    private Node readFile(Path path, Node node, Node parent) throws IOException {
        ChunkIdHasher hasher = hashers.get();
        if (node.size() <= smallFileLimit) {
            return readSmallFile(path, node, parent, hasher);
        }
        return readChunked(path, node, parent);
    }

    private Node readChunked(Path path, Node node, Node parent) throws IOException {
        List<CompletableFuture<BlobId>> content = new ArrayList<>();
        Set<BlobId> parentChunks = parent == null || parent.content() == null || parent.content().isEmpty() ? Set.of()
                : new HashSet<>(parent.content());
        long read = 0;
        InputStream in;
        try {
            in = openChunked(path, node.size());
        } catch (IOException e) {
            return unreadable(path, e);
        }
        try (in) {
            FastCdc.Stream s = chunker.stream(in, chunkBuffers.get());
            while (failure.get() == null) {
                boolean more;
                try {
                    more = s.next();
                } catch (IOException e) {
                    return unreadable(path, e);
                }
                if (!more) {
                    break;
                }
                if (readLimit != null) {
                    readLimit.acquire(s.chunkLength());
                }
                content.add(seal(s.buffer(), s.chunkStart(), s.chunkLength(), parentChunks));
                read += s.chunkLength();
            }
        }
        if (failure.get() != null) {
            throw new InterruptedIOException("backup stopped by an earlier failure");
        }
        List<BlobId> ids = new ArrayList<>(content.size());
        for (CompletableFuture<BlobId> c : content) {
            ids.add(sealed(c));
        }
        return finishFile(path, node, parent, ids, read);
    }

    /**
     * Opens a file for the chunker. A large file is read past the page cache, the next block read ahead while the
     * chunker cuts the current one: it is read once, its bytes would cost the kernel a copy each, and they would
     * push the node's own working set out of memory. Smaller ones go through a channel, which reads through a
     * per-thread direct buffer the JDK keeps (a FileInputStream would allocate and free a native buffer on every
     * read).
     */
    private InputStream openChunked(Path path, long size) throws IOException {
        if (size >= DIRECT_READ_MIN) {
            return DirectIo.openForRead(path, directBuffers.get(), readAhead);
        }
        return Channels.newInputStream(FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * Hands one chunk to a sealer: copied into a free chunk slot (waiting for one when every slot is taken, which
     * bounds memory and holds the reader to the sealers' pace), then id'd and stored there. Failures to store are
     * the repository's: they fail the run.
     */
    private CompletableFuture<BlobId> seal(byte[] src, int off, int len, Set<BlobId> parentChunks)
            throws IOException {
        byte[] slot;
        try {
            slot = chunkSlots.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup interrupted");
        }
        byte[] buf = slot.length >= len ? slot : new byte[Math.max(len, Math.min(2 * slot.length,
                chunker.params().maxSize()))];
        System.arraycopy(src, off, buf, 0, len);
        try {
            return submit(() -> {
                BlobId id = hashers.get().id(buf, 0, len);
                if (!parentChunks.contains(id)) {
                    saver.save(BlobType.DATA, id, buf, 0, len);
                }
                return id;
            }, () -> chunkSlots.add(buf), sealers);
        } catch (RejectedExecutionException e) {
            chunkSlots.add(buf);
            throw new InterruptedIOException("backup stopped");
        }
    }

    /** The id of a chunk handed to a sealer, once it is stored; rethrows what storing it failed with. */
    private static BlobId sealed(CompletableFuture<BlobId> chunk) throws IOException {
        try {
            return chunk.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("backup interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

    /**
     * A file no larger than the minimum chunk size: one chunk, read whole into a reused buffer (one byte larger,
     * to notice growth) without the chunker.
     */
    private Node readSmallFile(Path path, Node node, Node parent, ChunkIdHasher hasher) throws IOException {
        byte[] buf = smallBuffers.get();
        int read;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            // Asks for one byte more than the size seen (to notice growth), not for the whole buffer: the JDK
            // stages each read through a native buffer of the size asked for.
            java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, node.size() + 1));
            while (true) {
                while (bb.hasRemaining() && ch.read(bb) >= 0) {
                    // until full or end of file
                }
                if (bb.hasRemaining() || bb.limit() == buf.length) {
                    break;
                }
                bb.limit(buf.length); // it grew since the scan: read on, up to the buffer
            }
            read = bb.position();
        } catch (IOException e) {
            return unreadable(path, e);
        }
        if (readLimit != null) {
            readLimit.acquire(read);
        }
        if (read > smallFileLimit) {
            // It grew past one chunk since the scan saw it: take the chunked path.
            return readChunked(path, node, parent);
        }
        List<BlobId> content = List.of();
        if (read > 0) {
            BlobId id = hasher.id(buf, 0, read);
            if (!inParent(parent, id)) {
                saver.save(BlobType.DATA, id, buf, 0, read);
            }
            content = List.of(id);
        }
        return finishFile(path, node, parent, content, read);
    }

    /**
     * Whether {@code id} is the parent snapshot's single chunk of this file. Such a blob needs no lookup: the parent
     * is a committed snapshot, and prune never removes what a kept snapshot uses (the shared lock keeps prune out for
     * the whole run). An unchanged file's chunks and an unchanged directory's tree are taken the same way.
     */
    private static boolean inParent(Node parent, BlobId id) {
        return parent != null && parent.content() != null && parent.content().size() == 1
                && parent.content().get(0).equals(id);
    }

    private Node finishFile(Path path, Node node, Node parent, List<BlobId> content, long read) {
        bytesRead.add(read);
        totalBytes.add(read);
        progress.file(path, node.size(), read);
        if (read != node.size()) {
            // A same-size rewrite is not seen here, but its newer mtime makes the next backup read it again.
            warn(path, "changed while it was read; the snapshot holds the " + read + " bytes read");
        }
        (parent == null ? filesNew : filesChanged).increment();
        return node.withContent(content, read);
    }

    /**
     * A source file that could not be opened or read: a warning, and the file is left out of the snapshot. Only
     * errors of the source go through here, never errors storing to the repository.
     */
    private Node unreadable(Path path, IOException e) {
        totalFiles.decrement();
        if (e instanceof NoSuchFileException) {
            warn(path, "vanished before it was read");
        } else if (e instanceof AccessDeniedException) {
            warn(path, "permission denied");
        } else {
            warn(path, "cannot be read: " + e.getMessage());
        }
        return null;
    }

    /** Stores a tree unless it is {@code parentTree}, the same directory's tree in the parent snapshot. */
    private BlobId saveTree(Tree tree, BlobId parentTree) throws IOException {
        byte[] bytes = MetadataCodec.encodeTree(tree);
        BlobId id = hashers.get().id(bytes, 0, bytes.length);
        if (id.equals(parentTree)) {
            return id; // stored: see inParent
        }
        if (saver.save(BlobType.TREE, id, bytes, 0, bytes.length)) {
            catalog.cacheTree(id, bytes);
        }
        return id;
    }

    private void warn(Path path, String problem) {
        String w = path + ": " + problem;
        warnings.add(w);
        progress.warning(w);
    }
}
