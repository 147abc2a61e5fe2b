package dev.cairn.catalog;

import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.NoSuchObjectException;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.pack.IndexEntry;
import dev.cairn.store.pack.IndexFile;
import dev.cairn.store.pack.PackReader;
import dev.cairn.store.pack.PackedBlob;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings a catalog up to date with its repository: reads index files it has not seen, then the headers of packs
 * that no index file covers (left by an interrupted backup), so their blobs are reused instead of stored again.
 * An index file the catalog knows but the repository no longer has (prune removed it) means entries may be
 * stale: the catalog is then rebuilt from scratch.
 */
public final class CatalogSync {
    private CatalogSync() {
    }

    /** What a sync found. */
    public record Result(int indexFilesRead, int unindexedPacks, List<IndexEntry> unindexedEntries,
            boolean rebuilt) {
    }

    /**
     * Syncs {@code catalog} with {@code repo}, listing every pack as well; returns the entries of packs no index
     * file covers, so that a writer can store an index file for them. A backup asks for this only when an earlier
     * one may have died (see {@link Catalog#backupUnfinished()}): on S3 the listing is a request per thousand packs.
     */
    public static Result sync(Repository repo, Catalog catalog) throws IOException {
        return sync(repo, catalog, true);
    }

    /**
     * Syncs {@code catalog} with the repository's index files only, without listing packs: what a reader needs,
     * since a snapshot is stored only after the index files covering everything it references. On S3 this is two
     * listings (plus reads of new index files) however many packs the repository holds.
     */
    public static Result syncIndexes(Repository repo, Catalog catalog) throws IOException {
        return sync(repo, catalog, false);
    }

    private static Result sync(Repository repo, Catalog catalog, boolean scanPacks) throws IOException {
        try (BlobCodec codec = repo.newCodec()) {
            List<ObjectInfo> indexes = repo.store().list(ObjectType.INDEX);
            Set<String> present = new HashSet<>();
            for (ObjectInfo i : indexes) {
                present.add(i.name().id());
            }
            Set<String> known = catalog.indexFiles();
            boolean rebuilt = false;
            if (!present.containsAll(known)) {
                // Index files were removed (by prune): entries may point at deleted packs. Start over.
                catalog.reset();
                known = Set.of();
                rebuilt = true;
            }
            int read = 0;
            for (ObjectInfo i : indexes) {
                if (known.contains(i.name().id())) {
                    continue;
                }
                List<IndexEntry> entries;
                try {
                    entries = IndexFile.load(repo.store(), codec, i.name());
                } catch (NoSuchObjectException removedMeanwhile) {
                    continue;
                }
                catalog.addIndexFile(i.name().id(), entries);
                read++;
            }
            Map<BlobId, Boolean> packs = scanPacks ? catalog.packs() : Map.of();
            List<IndexEntry> unindexed = new ArrayList<>();
            int unindexedPacks = 0;
            for (ObjectInfo p : scanPacks ? repo.store().list(ObjectType.DATA) : List.<ObjectInfo>of()) {
                BlobId id = BlobId.parse(p.name().id());
                Boolean indexed = packs.get(id);
                if (Boolean.TRUE.equals(indexed)) {
                    continue;
                }
                List<PackedBlob> contents;
                try {
                    contents = PackReader.readHeader(repo.store(), p, codec);
                } catch (CorruptObjectException | NoSuchObjectException unusable) {
                    // A damaged leftover (a pack cut short by a crash): nothing in it can be reused.
                    continue;
                }
                if (indexed == null) {
                    catalog.addUnindexedPack(id, contents);
                }
                for (PackedBlob b : contents) {
                    unindexed.add(new IndexEntry(id, b));
                }
                unindexedPacks++;
            }
            if (rebuilt || known.isEmpty() && read > 0) {
                // A bulk load: compact once so lookups do not wade through overlapping files.
                catalog.compact();
            }
            return new Result(read, unindexedPacks, unindexed, rebuilt);
        }
    }

    /** An opened, synced catalog and what the sync found. */
    public record Opened(Catalog catalog, Result result) {
    }

    /**
     * Opens the catalog in {@code dir} for {@code repo} and brings it up to date for reading
     * ({@link #syncIndexes}); a backup syncs fully itself.
     */
    public static Opened openAndSync(java.nio.file.Path dir, Repository repo) throws IOException {
        Catalog c = Catalog.open(dir, repo.config().id());
        try {
            return new Opened(c, syncIndexes(repo, c));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Where a repository's catalog lives unless told otherwise: {@code $CAIRN_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/cairn}, else {@code ~/.cache/cairn}; then {@code <repository id>/catalog}.
     */
    public static java.nio.file.Path defaultDirectory(Map<String, String> env, String repositoryId) {
        String base = env.get("CAIRN_CACHE_DIR");
        java.nio.file.Path root;
        if (base != null && !base.isBlank()) {
            root = java.nio.file.Path.of(base);
        } else if (env.get("XDG_CACHE_HOME") != null && !env.get("XDG_CACHE_HOME").isBlank()) {
            root = java.nio.file.Path.of(env.get("XDG_CACHE_HOME"), "cairn");
        } else {
            root = java.nio.file.Path.of(System.getProperty("user.home"), ".cache", "cairn");
        }
        return root.resolve(repositoryId).resolve("catalog");
    }

}
