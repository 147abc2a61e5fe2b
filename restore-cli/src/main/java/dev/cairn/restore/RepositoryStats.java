package dev.cairn.restore;

import dev.cairn.catalog.BlobIndex;
import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.catalog.model.Tree;
import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectType;
import dev.cairn.store.pack.IndexEntry;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sizes of a set of snapshots and of the repository holding them.
 *
 * <p>{@code restoreSize} is what restoring every one of the snapshots would write (files and bytes, each snapshot
 * counted whole); {@code rawSize} and {@code storedSize} are the distinct data blobs those snapshots reference,
 * before and after compression and encryption. The dedup ratio is restore size over raw size; the compression
 * ratio raw size over stored size. Shared subtrees are read once: a directory's totals are remembered by tree id.
 */
public record RepositoryStats(int snapshots, long files, long restoreSize, long dataBlobs, long rawSize,
        long storedSize, long treeBlobs, long packs, long packBytes, long indexFiles) {

    public double dedupRatio() {
        return rawSize == 0 ? 1.0 : (double) restoreSize / rawSize;
    }

    public double compressionRatio() {
        return storedSize == 0 ? 1.0 : (double) rawSize / storedSize;
    }

    /**
     * Computes the statistics of the snapshots with root trees {@code roots}. With {@code restoreSizeOnly}, blobs
     * are not looked up and the repository's objects are not listed.
     */
    public static RepositoryStats compute(MetadataReader reader, BlobIndex index, BlobStore store, List<BlobId> roots,
            boolean restoreSizeOnly) throws IOException {
        Walk w = new Walk(reader, index, !restoreSizeOnly);
        long files = 0;
        long size = 0;
        for (BlobId root : roots) {
            long[] t = w.tree(root);
            files += t[0];
            size += t[1];
        }
        long packs = 0;
        long packBytes = 0;
        long indexFiles = 0;
        if (!restoreSizeOnly) {
            for (ObjectInfo o : store.list(ObjectType.DATA)) {
                packs++;
                packBytes += o.size();
            }
            indexFiles = store.list(ObjectType.INDEX).size();
        }
        return new RepositoryStats(roots.size(), files, size, w.blobs.size(), w.raw, w.stored, w.totals.size(), packs,
                packBytes, indexFiles);
    }

    private static final class Walk {
        final MetadataReader reader;
        final BlobIndex index;
        final boolean blobsToo;
        final Map<BlobId, long[]> totals = new HashMap<>();
        final Set<BlobId> blobs = new HashSet<>();
        long raw;
        long stored;

        Walk(MetadataReader reader, BlobIndex index, boolean blobsToo) {
            this.reader = reader;
            this.index = index;
            this.blobsToo = blobsToo;
        }

        /** Files and bytes under a tree, remembered by its id. */
        long[] tree(BlobId id) throws IOException {
            long[] known = totals.get(id);
            if (known != null) {
                return known;
            }
            Tree t = reader.tree(id);
            long files = 0;
            long bytes = 0;
            for (Node n : t.nodes()) {
                if (n.type() == NodeType.DIRECTORY) {
                    long[] sub = tree(n.subtree());
                    files += sub[0];
                    bytes += sub[1];
                } else if (n.type() == NodeType.FILE) {
                    files++;
                    bytes += n.size();
                    if (blobsToo) {
                        for (BlobId b : n.content()) {
                            if (blobs.add(b)) {
                                IndexEntry e = index.find(b).orElse(null);
                                if (e != null) {
                                    raw += e.blob().rawLength();
                                    stored += e.blob().length();
                                }
                            }
                        }
                    }
                }
            }
            long[] result = {files, bytes};
            totals.put(id, result);
            return result;
        }
    }
}
