package dev.cairn.backup;

import dev.cairn.catalog.BlobIndex;
import dev.cairn.catalog.InMemoryBlobIndex;
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
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.chunker.FastCdc;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.PackAssembler;
import dev.cairn.store.pack.SealedObjects;
import dev.cairn.store.repo.Repository;
import dev.cairn.store.repo.RepositoryLock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One backup run. Holds a shared lock for its duration (refreshed in the background), and commits in the order
 * the repository format requires: packs, then index files, then the snapshot. A run that dies before the end
 * leaves only packs and index files, which the next run reuses.
 */
public final class Backup {
    private final Repository repo;
    private final BackupOptions options;
    private final BackupProgress progress;
    private final FileAttributes attributes = new FileAttributes(true);
    private final List<String> warnings = new ArrayList<>();
    private final Set<BlobId> addedThisRun = new HashSet<>();

    private BlobIndex index;
    private MetadataReader reader;
    private BlobCodec codec;
    private ChunkIdHasher hasher;
    private FastCdc chunker;
    private byte[] chunkBuffer;
    private PackAssembler packs;

    private long filesNew;
    private long filesChanged;
    private long filesUnmodified;
    private long dirsNew;
    private long dirsChanged;
    private long dirsUnmodified;
    private long dataBlobs;
    private long treeBlobs;
    private long dataAdded;
    private long totalFiles;
    private long totalBytes;
    private long bytesRead;

    private Backup(Repository repo, BackupOptions options, BackupProgress progress) {
        this.repo = repo;
        this.options = options;
        this.progress = progress;
    }

    /** Runs a backup of {@code options.sources()} into {@code repo}. */
    public static BackupResult run(Repository repo, BackupOptions options, BackupProgress progress) throws IOException {
        return new Backup(repo, options, progress).run();
    }

    private BackupResult run() throws IOException {
        for (Path source : options.sources()) {
            if (!Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new NoSuchFileException(source.toString(), null, "source does not exist");
            }
        }
        List<FileName> names = new ArrayList<>();
        for (Path source : options.sources()) {
            FileName n = rootName(source);
            if (names.contains(n)) {
                throw new IllegalArgumentException("two sources are both named '" + n + "'; back them up separately");
            }
            names.add(n);
        }
        long started = System.nanoTime();
        Instant time = options.time() != null ? options.time() : repo.clock().instant();
        String host = options.host() != null ? options.host() : hostName();
        try (RepositoryLock lock = RepositoryLock.shared(repo);
                Refresher refresher = new Refresher(lock);
                BlobCodec c = repo.newCodec()) {
            codec = c;
            index = InMemoryBlobIndex.load(repo);
            reader = new MetadataReader(repo, index);
            hasher = repo.newIdHasher();
            chunker = repo.chunker();
            chunkBuffer = new byte[chunker.bufferSize()];
            packs = new PackAssembler(repo.store(), codec, repo.config().packSize());

            SnapshotRef parent = findParent(host);
            Tree parentRoot = parent == null ? null : reader.tree(parent.snapshot().tree());
            List<Node> roots = new ArrayList<>();
            for (int i = 0; i < options.sources().size(); i++) {
                Path source = options.sources().get(i);
                FileName name = names.get(i);
                Node parentNode = parentRoot == null ? null : parentRoot.find(name);
                Node n = entry(source, name, parentNode);
                if (n != null) {
                    roots.add(n);
                }
            }
            BlobId rootTree = saveTree(new Tree(roots));
            packs.flush();
            BackupSummary summary = new BackupSummary(filesNew, filesChanged, filesUnmodified, dirsNew, dirsChanged,
                    dirsUnmodified, dataBlobs, treeBlobs, dataAdded, packs.bytesStored(), totalFiles, totalBytes,
                    bytesRead, warnings.size(), (System.nanoTime() - started) / 1e9);
            Snapshot snap = new Snapshot(Snapshot.VERSION, time, host, System.getProperty("user.name", ""),
                    options.sources().stream().map(Path::toString).toList(), options.tags(),
                    parent == null ? null : parent.id(), rootTree, summary);
            ObjectName name = SealedObjects.save(repo.store(), codec, ObjectType.SNAPSHOT, BlobKind.SNAPSHOT,
                    MetadataCodec.encodeSnapshot(snap));
            reader.close();
            return new BackupResult(name.id(), parent == null ? null : parent.id(), summary, List.copyOf(warnings));
        }
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
        Path fn = source.getFileName();
        return FileName.of(fn == null ? "root" : fn.toString());
    }

    /** Backs up one entry; null when it vanished or cannot be read (a warning). */
    private Node entry(Path path, FileName name, Node parent) throws IOException {
        Node node;
        try {
            node = attributes.read(path, name);
        } catch (NoSuchFileException e) {
            warn(path, "vanished before it was read");
            return null;
        } catch (AccessDeniedException e) {
            warn(path, "permission denied");
            return null;
        }
        return switch (node.type()) {
            case DIRECTORY -> directory(path, node, parent);
            case FILE -> file(path, node, parent);
            default -> parent != null && sameExceptAccessTime(parent, node) ? parent : node;
        };
    }

    private Node directory(Path dir, Node node, Node parent) throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                children.add(p);
            }
        } catch (NoSuchFileException e) {
            warn(dir, "vanished before it was listed");
            return null;
        } catch (AccessDeniedException e) {
            warn(dir, "permission denied");
            return null;
        }
        children.sort((a, b) -> FileName.of(a.getFileName().toString()).compareTo(FileName.of(b.getFileName().toString())));
        Tree parentTree = null;
        if (parent != null && parent.type() == NodeType.DIRECTORY) {
            parentTree = reader.tree(parent.subtree());
        }
        List<Node> nodes = new ArrayList<>(children.size());
        for (Path child : children) {
            FileName childName = FileName.of(child.getFileName().toString());
            Node n = entry(child, childName, parentTree == null ? null : parentTree.find(childName));
            if (n != null) {
                nodes.add(n);
            }
        }
        BlobId tree = saveTree(new Tree(nodes));
        if (parentTree == null) {
            dirsNew++;
        } else if (tree.equals(parent.subtree())) {
            dirsUnmodified++;
            if (sameExceptAccessTime(parent, node)) {
                // Listing a directory moves its atime; an otherwise identical directory keeps its parent node so
                // that its tree id, and every tree above it, stays the same.
                return parent;
            }
        } else {
            dirsChanged++;
        }
        return node.withSubtree(tree);
    }

    private Node file(Path path, Node node, Node parent) throws IOException {
        totalFiles++;
        totalBytes += node.size();
        if (parent != null && parent.type() == NodeType.FILE && parent.size() == node.size()
                && parent.mtimeNanos() == node.mtimeNanos() && parent.ctimeNanos() == node.ctimeNanos()
                && parent.inode() == node.inode() && allStored(parent.content())) {
            filesUnmodified++;
            progress.file(path, node.size(), 0);
            // Unchanged size, mtime, ctime and inode: any metadata change would have moved ctime, so the parent
            // node (with its atime, which reading the file moves) still describes the file.
            return sameExceptAccessTime(parent, node) ? parent : node.withContent(parent.content(), parent.size());
        }
        List<BlobId> content = new ArrayList<>();
        long read = 0;
        try (InputStream in = Files.newInputStream(path)) {
            FastCdc.Stream s = chunker.stream(in, chunkBuffer);
            while (s.next()) {
                BlobId id = hasher.id(s.buffer(), s.chunkStart(), s.chunkLength());
                if (!index.contains(id) && addedThisRun.add(id)) {
                    packs.add(BlobType.DATA, id, s.buffer(), s.chunkStart(), s.chunkLength());
                    dataBlobs++;
                    dataAdded += s.chunkLength();
                }
                content.add(id);
                read += s.chunkLength();
            }
        } catch (NoSuchFileException e) {
            totalFiles--;
            totalBytes -= node.size();
            warn(path, "vanished before it was read");
            return null;
        } catch (AccessDeniedException e) {
            totalFiles--;
            totalBytes -= node.size();
            warn(path, "permission denied");
            return null;
        }
        bytesRead += read;
        progress.file(path, node.size(), read);
        Node after;
        try {
            after = attributes.read(path, node.name());
        } catch (NoSuchFileException e) {
            after = null;
        }
        if (after == null || after.mtimeNanos() != node.mtimeNanos() || after.size() != read) {
            warn(path, "changed while it was read; the snapshot holds the " + read + " bytes read");
        }
        if (parent == null) {
            filesNew++;
        } else {
            filesChanged++;
        }
        totalBytes += read - node.size();
        return node.withContent(content, read);
    }

    /**
     * Whether two nodes agree in everything a backup records except atime (and a directory's subtree or a file's
     * content, which the caller compares). Reading a file, listing a directory or reading a link moves its atime;
     * keeping the parent node then keeps tree ids stable across runs.
     */
    static boolean sameExceptAccessTime(Node parent, Node now) {
        return parent.name().equals(now.name()) && parent.type() == now.type() && parent.mode() == now.mode()
                && parent.uid() == now.uid() && parent.gid() == now.gid()
                && java.util.Objects.equals(parent.user(), now.user())
                && java.util.Objects.equals(parent.group(), now.group())
                && parent.mtimeNanos() == now.mtimeNanos() && parent.ctimeNanos() == now.ctimeNanos()
                && parent.inode() == now.inode() && parent.deviceId() == now.deviceId() && parent.links() == now.links()
                && parent.size() == now.size() && parent.rdev() == now.rdev()
                && java.util.Objects.equals(parent.linkTarget(), now.linkTarget())
                && parent.xattrList().equals(now.xattrList());
    }

    private boolean allStored(List<BlobId> content) {
        for (BlobId id : content) {
            if (!index.contains(id) && !addedThisRun.contains(id)) {
                return false;
            }
        }
        return true;
    }

    private BlobId saveTree(Tree tree) throws IOException {
        byte[] bytes = MetadataCodec.encodeTree(tree);
        BlobId id = hasher.id(bytes, 0, bytes.length);
        if (!index.contains(id) && addedThisRun.add(id)) {
            packs.add(BlobType.TREE, id, bytes, 0, bytes.length);
            treeBlobs++;
        }
        return id;
    }

    private void warn(Path path, String problem) {
        String w = path + ": " + problem;
        warnings.add(w);
        progress.warning(w);
    }

    static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isEmpty()) {
            return h;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Refreshes the lock in the background while the backup runs. */
    private static final class Refresher implements AutoCloseable {
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cairn-lock-refresh");
            t.setDaemon(true);
            return t;
        });

        Refresher(RepositoryLock lock) {
            long every = RepositoryLock.REFRESH_EVERY.toSeconds();
            timer.scheduleAtFixedRate(() -> {
                try {
                    lock.refresh();
                } catch (IOException e) {
                    // The next refresh tries again; a lock not refreshed for STALE_AFTER is treated as stale.
                }
            }, every, every, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

}
