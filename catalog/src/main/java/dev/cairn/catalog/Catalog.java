package dev.cairn.catalog;

import dev.cairn.store.BlobId;
import dev.cairn.store.pack.BlobType;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.PackedBlob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The local catalog: a RocksDB database that caches what the repository holds, so that deduplication, change
 * detection and listing need no remote reads and no heap that grows with the repository. It is only a cache:
 * deleted, or belonging to another repository, it is rebuilt from the repository by {@link CatalogSync}.
 *
 * <p>Contents: the chunk index (blob id to pack, offset, lengths; bloom filters on), the pack table (pack id to
 * size, and whether an index file covers it), the index files already read, raw tree blobs, and raw snapshots.
 * Every update from one index file or pack header is one atomic write batch. Memory is bounded by the block
 * cache and write buffers set here, whatever the size of the repository. Thread-safe.
 */
public final class Catalog implements BlobIndex, TreeCache, AutoCloseable {
    /** Catalog format; a catalog of another format is discarded and rebuilt. */
    public static final int FORMAT_VERSION = 1;
    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    private static final long WRITE_BUFFER_BYTES = 8L << 20;
    /** All memtables together, charged against the block cache: RocksDB's memory stays within the cache size. */
    private static final long ALL_WRITE_BUFFERS_BYTES = 32L << 20;

    private static final byte[] META_REPOSITORY = "repository".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] META_FORMAT = "format".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] META_BACKUP_UNFINISHED = "backup-unfinished".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> FAMILIES = List.of("blobs", "packs", "index_files", "trees", "snapshots");

    static {
        RocksDB.loadLibrary();
    }

    private final Path dir;
    private final boolean fresh;
    private final Cache cache;
    private final WriteBufferManager writeBuffers;
    private final DBOptions dbOptions;
    private final List<ColumnFamilyOptions> cfOptions = new ArrayList<>();
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final RocksDB db;
    private final WriteOptions writeOptions;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle blobs;
    private final ColumnFamilyHandle packs;
    private final ColumnFamilyHandle indexFiles;
    private final ColumnFamilyHandle trees;
    private final ColumnFamilyHandle snapshots;

    private Catalog(Path dir, boolean fresh) throws RocksDBException {
        this.dir = dir;
        this.fresh = fresh;
        // Few shards: each shard must hold the largest block, and filter and index partitions are kept small below.
        this.cache = new LRUCache(BLOCK_CACHE_BYTES, 2);
        this.writeBuffers = new WriteBufferManager(ALL_WRITE_BUFFERS_BYTES, cache);
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxOpenFiles(512).setKeepLogFileNum(2).setMaxBackgroundJobs(2)
                .setWriteBufferManager(writeBuffers);
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, options(false)));
        for (String name : FAMILIES) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.US_ASCII),
                    options(name.equals("blobs"))));
        }
        this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        this.writeOptions = new WriteOptions();
        this.meta = handles.get(0);
        this.blobs = handles.get(1);
        this.packs = handles.get(2);
        this.indexFiles = handles.get(3);
        this.trees = handles.get(4);
        this.snapshots = handles.get(5);
    }

    private ColumnFamilyOptions options(boolean pointLookups) {
        BlockBasedTableConfig table = new BlockBasedTableConfig().setBlockCache(cache)
                .setCacheIndexAndFilterBlocks(true).setPinL0FilterAndIndexBlocksInCache(true)
                .setPinTopLevelIndexAndFilter(true);
        if (pointLookups) {
            // Ids are uniformly random: whole-key bloom filters make a miss (a new chunk) cost no disk read.
            // Filters and index are partitioned, so the cache holds small pieces of them, bounded whatever the
            // number of blobs, instead of one huge block per file.
            table.setFilterPolicy(new BloomFilter(10)).setPartitionFilters(true)
                    .setIndexType(IndexType.kTwoLevelIndexSearch).setMetadataBlockSize(4096)
                    .setOptimizeFiltersForMemory(true);
        }
        ColumnFamilyOptions o = new ColumnFamilyOptions().setTableFormatConfig(table)
                .setWriteBufferSize(WRITE_BUFFER_BYTES).setMaxWriteBufferNumber(2)
                .setCompressionType(pointLookups ? CompressionType.NO_COMPRESSION : CompressionType.LZ4_COMPRESSION);
        cfOptions.add(o);
        return o;
    }

    /**
     * Opens the catalog in {@code dir} for the repository {@code repositoryId}, creating it if missing. A
     * catalog of another repository or another catalog format is deleted and started afresh ({@link #isFresh}).
     */
    public static Catalog open(Path dir, String repositoryId) throws IOException {
        Files.createDirectories(dir);
        try {
            Catalog c = new Catalog(dir, false);
            String repo = c.metaString(META_REPOSITORY);
            String format = c.metaString(META_FORMAT);
            if (repositoryId.equals(repo) && String.valueOf(FORMAT_VERSION).equals(format)) {
                return c;
            }
            // New, of another repository or format, or never finished initializing: start afresh.
            c.close();
            deleteRecursively(dir);
            Files.createDirectories(dir);
            c = new Catalog(dir, true);
            c.db.put(c.meta, c.writeOptions, META_REPOSITORY, repositoryId.getBytes(StandardCharsets.US_ASCII));
            c.db.put(c.meta, c.writeOptions, META_FORMAT,
                    String.valueOf(FORMAT_VERSION).getBytes(StandardCharsets.US_ASCII));
            return c;
        } catch (RocksDBException e) {
            String m = String.valueOf(e.getMessage());
            if (m.contains("lock") || m.contains("LOCK")) {
                throw new IOException("catalog " + dir + " is in use by another cairn process; wait for it, or"
                        + " give this one its own --cache-dir", e);
            }
            throw new IOException("catalog " + dir + " cannot be opened: " + m
                    + " (delete it to rebuild it from the repository)", e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Whether this catalog started empty (created now, or discarded as foreign), so it must be filled. */
    public boolean isFresh() {
        return fresh;
    }

    public Path directory() {
        return dir;
    }

    private String metaString(byte[] key) throws RocksDBException {
        byte[] v = db.get(meta, key);
        return v == null ? null : new String(v, StandardCharsets.US_ASCII);
    }

    /**
     * Whether a backup that used this catalog began and did not finish (killed, or failed): packs it stored may be
     * in the repository without an index file. {@link #backupUnfinished(boolean)} sets it before a backup stores
     * anything and clears it once its snapshot is saved.
     */
    public boolean backupUnfinished() throws IOException {
        try {
            return metaString(META_BACKUP_UNFINISHED) != null;
        } catch (RocksDBException e) {
            throw new IOException("catalog read failed: " + e.getMessage(), e);
        }
    }

    /** Marks a backup as begun ({@code true}) or finished ({@code false}); see {@link #backupUnfinished()}. */
    public void backupUnfinished(boolean unfinished) throws IOException {
        try {
            if (unfinished) {
                db.put(meta, writeOptions, META_BACKUP_UNFINISHED, new byte[] {1});
            } else {
                db.delete(meta, writeOptions, META_BACKUP_UNFINISHED);
            }
        } catch (RocksDBException e) {
            throw new IOException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /** Empties every table (keeping the repository binding), for a rebuild from the repository. */
    public void reset() throws IOException {
        byte[] low = new byte[0];
        byte[] high = new byte[80];
        java.util.Arrays.fill(high, (byte) 0xff);
        try {
            for (ColumnFamilyHandle h : List.of(blobs, packs, indexFiles, trees, snapshots)) {
                db.deleteRange(h, low, high);
            }
        } catch (RocksDBException e) {
            throw new IOException("catalog reset failed: " + e.getMessage(), e);
        }
    }

    /**
     * Compacts the chunk index fully. After a bulk load (a rebuild) the index is many overlapping files that a
     * lookup must each consult; compacted, a lookup touches one file per level.
     */
    public void compact() throws IOException {
        try {
            db.compactRange(blobs);
        } catch (RocksDBException e) {
            throw new IOException("catalog compaction failed: " + e.getMessage(), e);
        }
    }

    // ---- chunk index -------------------------------------------------------------------------------------

    static byte[] encodeEntry(IndexEntry e) {
        PackedBlob b = e.blob();
        ByteBuffer buf = ByteBuffer.allocate(1 + BlobId.LENGTH + 8 + 4 + 4);
        buf.put((byte) b.type().code());
        e.pack().copyTo(buf.array(), 1);
        buf.position(1 + BlobId.LENGTH);
        buf.putLong(b.offset()).putInt(b.length()).putInt(b.rawLength());
        return buf.array();
    }

    static IndexEntry decodeEntry(BlobId id, byte[] v) {
        ByteBuffer buf = ByteBuffer.wrap(v);
        BlobType type = BlobType.ofCode(buf.get());
        BlobId pack = BlobId.of(v, 1);
        buf.position(1 + BlobId.LENGTH);
        return new IndexEntry(pack, new PackedBlob(type, id, buf.getLong(), buf.getInt(), buf.getInt()));
    }

    @Override
    public Optional<IndexEntry> find(BlobId id) {
        try {
            byte[] v = db.get(blobs, id.bytes());
            return v == null ? Optional.empty() : Optional.of(decodeEntry(id, v));
        } catch (RocksDBException e) {
            throw new CatalogException("catalog read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean contains(BlobId id) {
        try {
            // One lookup: a miss is answered by the bloom filter inside get, a hit needs the value's block anyway.
            return db.get(blobs, id.bytes()) != null;
        } catch (RocksDBException e) {
            throw new CatalogException("catalog read failed: " + e.getMessage(), e);
        }
    }

    /** Records an index file's entries, its packs as indexed, and the file as read, in one atomic batch. */
    public void addIndexFile(String indexFileId, List<IndexEntry> entries) throws IOException {
        try (WriteBatch wb = new WriteBatch()) {
            Set<BlobId> seenPacks = new HashSet<>();
            for (IndexEntry e : entries) {
                wb.put(blobs, e.blob().id().bytes(), encodeEntry(e));
                if (seenPacks.add(e.pack())) {
                    wb.put(packs, e.pack().bytes(), new byte[] {1});
                }
            }
            wb.put(indexFiles, indexFileId.getBytes(StandardCharsets.US_ASCII), new byte[0]);
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw new IOException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /** Records the blobs of a pack that no index file covers (read from its header). */
    public void addUnindexedPack(BlobId pack, List<PackedBlob> contents) throws IOException {
        try (WriteBatch wb = new WriteBatch()) {
            for (PackedBlob b : contents) {
                wb.put(blobs, b.id().bytes(), encodeEntry(new IndexEntry(pack, b)));
            }
            wb.put(packs, pack.bytes(), new byte[] {0});
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw new IOException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /** Marks packs as covered by an index file (after writing one for them). */
    public void markIndexed(String indexFileId, Set<BlobId> packIds) throws IOException {
        try (WriteBatch wb = new WriteBatch()) {
            for (BlobId p : packIds) {
                wb.put(packs, p.bytes(), new byte[] {1});
            }
            wb.put(indexFiles, indexFileId.getBytes(StandardCharsets.US_ASCII), new byte[0]);
            db.write(writeOptions, wb);
        } catch (RocksDBException e) {
            throw new IOException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /** Index files already read into the catalog. */
    public Set<String> indexFiles() {
        Set<String> out = new HashSet<>();
        try (RocksIterator it = db.newIterator(indexFiles)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(new String(it.key(), StandardCharsets.US_ASCII));
            }
        }
        return out;
    }

    /** Whether the catalog knows any index file (an empty one has never been synced, or found none). */
    public boolean hasIndexFiles() {
        try (RocksIterator it = db.newIterator(indexFiles)) {
            it.seekToFirst();
            return it.isValid();
        }
    }

    /** Known packs, with whether an index file covers each. */
    public Map<BlobId, Boolean> packs() {
        Map<BlobId, Boolean> out = new HashMap<>();
        try (RocksIterator it = db.newIterator(packs)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(BlobId.of(it.key()), it.value()[0] == 1);
            }
        }
        return out;
    }

    /** Approximate number of blobs in the chunk index. */
    public long estimatedBlobCount() {
        try {
            return db.getLongProperty(blobs, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    // ---- trees and snapshots ------------------------------------------------------------------------------

    @Override
    public Optional<byte[]> cachedTree(BlobId id) {
        try {
            return Optional.ofNullable(db.get(trees, id.bytes()));
        } catch (RocksDBException e) {
            throw new CatalogException("catalog read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void cacheTree(BlobId id, byte[] raw) {
        try {
            db.put(trees, writeOptions, id.bytes(), raw);
        } catch (RocksDBException e) {
            throw new CatalogException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /** Raw snapshots cached, by id. */
    public Map<String, byte[]> cachedSnapshots() {
        Map<String, byte[]> out = new HashMap<>();
        try (RocksIterator it = db.newIterator(snapshots)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.put(new String(it.key(), StandardCharsets.US_ASCII), it.value());
            }
        }
        return out;
    }

    /** One cached raw snapshot, or null. */
    public byte[] cachedSnapshot(String id) {
        try {
            return db.get(snapshots, id.getBytes(StandardCharsets.US_ASCII));
        } catch (RocksDBException e) {
            throw new CatalogException("catalog read failed: " + e.getMessage(), e);
        }
    }

    public void cacheSnapshot(String id, byte[] raw) throws IOException {
        try {
            db.put(snapshots, writeOptions, id.getBytes(StandardCharsets.US_ASCII), raw);
        } catch (RocksDBException e) {
            throw new IOException("catalog write failed: " + e.getMessage(), e);
        }
    }

    public void forgetSnapshot(String id) throws IOException {
        try {
            db.delete(snapshots, writeOptions, id.getBytes(StandardCharsets.US_ASCII));
        } catch (RocksDBException e) {
            throw new IOException("catalog write failed: " + e.getMessage(), e);
        }
    }

    /**
     * Writes what the memtables hold to table files, then closes. Left in the write-ahead log instead, it would be
     * replayed into memtables and written out by the next open: after a first backup of 78,580 files that is 24 MB
     * of log and a quarter of a second at the start of the next run (each of the daemon's runs opens the catalog
     * afresh). A failed flush is ignored: the log still holds the writes, and the next open replays them.
     */
    @Override
    public void close() {
        try (FlushOptions f = new FlushOptions().setWaitForFlush(true)) {
            db.flush(f, handles);
        } catch (RocksDBException | RuntimeException e) {
            // Replayed from the log by the next open.
        }
        for (ColumnFamilyHandle h : handles) {
            h.close();
        }
        db.close();
        writeOptions.close();
        dbOptions.close();
        for (ColumnFamilyOptions o : cfOptions) {
            o.close();
        }
        writeBuffers.close();
        cache.close();
    }

    /** A catalog read or write failed where no checked exception can be thrown. */
    public static final class CatalogException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CatalogException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
