package dev.cairn.restore;

import dev.cairn.catalog.MetadataReader;
import dev.cairn.catalog.model.Node;
import dev.cairn.catalog.model.NodeType;
import dev.cairn.store.BlobId;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes one file's content, or a directory as a tar stream, to an output stream: what {@code cairn dump} sends
 * to stdout. Chunks are read one at a time, so memory does not grow with the file. A second path to an inode
 * already written becomes a tar hardlink entry.
 */
public final class Dumper {
    private final MetadataReader reader;
    private final SnapshotTree tree;
    private final Map<List<Long>, byte[]> seen = new HashMap<>();

    public Dumper(MetadataReader reader) {
        this.reader = reader;
        this.tree = new SnapshotTree(reader);
    }

    /** Writes a regular file's content. */
    public long file(Node n, OutputStream out) throws IOException {
        long written = 0;
        for (BlobId id : n.content()) {
            byte[] data = reader.data(id);
            out.write(data);
            written += data.length;
        }
        if (written != n.size()) {
            throw new IOException(n.name() + ": read " + written + " bytes but the snapshot says " + n.size());
        }
        return written;
    }

    /**
     * Writes the entry {@code at} (a directory, with everything under it, or a single entry) as a tar stream whose
     * names start with the entry's own name.
     */
    public void tar(SnapshotTree.Located at, OutputStream out) throws IOException {
        try (TarWriter tar = new TarWriter(out)) {
            if (at.node() == null) {
                for (Node n : tree.list(at.tree())) {
                    entryWithContents(tar, n, n.name().bytes());
                }
            } else {
                entryWithContents(tar, at.node(), at.node().name().bytes());
            }
        }
    }

    private void entryWithContents(TarWriter tar, Node n, byte[] name) throws IOException {
        entry(tar, n, name);
        if (n.type() == NodeType.DIRECTORY) {
            for (Node c : tree.list(n.subtree())) {
                entryWithContents(tar, c, join(name, c.name().bytes()));
            }
        }
    }

    private void entry(TarWriter tar, Node n, byte[] entryName) throws IOException {
        byte[] name = entryName;
        byte type;
        byte[] link = null;
        long size = 0;
        switch (n.type()) {
            case DIRECTORY -> {
                type = TarWriter.DIRECTORY;
                name = join(name, new byte[0]);
            }
            case FILE -> {
                type = TarWriter.FILE;
                size = n.size();
                if (n.links() > 1) {
                    byte[] first = seen.putIfAbsent(List.of(n.deviceId(), n.inode()), name);
                    if (first != null) {
                        type = TarWriter.HARDLINK;
                        link = first;
                        size = 0;
                    }
                }
            }
            case SYMLINK -> {
                type = TarWriter.SYMLINK;
                link = n.linkTarget().bytes();
            }
            case FIFO -> type = TarWriter.FIFO;
            case CHAR_DEVICE -> type = TarWriter.CHAR_DEVICE;
            case BLOCK_DEVICE -> type = TarWriter.BLOCK_DEVICE;
            default -> {
                return; // sockets have no tar form
            }
        }
        long major = n.deviceMajor();
        long minor = n.deviceMinor();
        tar.header(new TarWriter.Header(name, type, n.mode(), n.uid(), n.gid(), n.user(), n.group(), size,
                n.mtimeNanos(), link, major, minor));
        if (type == TarWriter.FILE) {
            for (BlobId id : n.content()) {
                byte[] data = reader.data(id);
                tar.write(data, 0, data.length);
            }
            tar.endEntry(size);
        }
    }

    /** {@code a/b}; with an empty {@code b}, {@code a/} (a directory's name in tar). */
    private static byte[] join(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + 1 + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        out[a.length] = '/';
        System.arraycopy(b, 0, out, a.length + 1, b.length);
        return out;
    }
}
