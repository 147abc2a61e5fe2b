package dev.cairn.catalog.model;

import dev.cairn.store.BlobId;
import dev.cairn.store.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The canonical CBOR encoding of trees, written by hand: trees are encoded and decoded once per directory per
 * backup, where a reflective mapper costs more than the rest of the scan. Canonical means definite-length maps
 * and arrays, the shortest integer heads, fields in the fixed order of {@code docs/FORMAT.md}, and absent fields
 * omitted. Decoding accepts any key order and skips unknown keys, so a newer writer can add fields.
 */
final class TreeCodec {
    private static final byte[] K_NODES = ascii("nodes");

    private TreeCodec() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ---- encoding ---------------------------------------------------------------------------------------------

    /**
     * Each thread encodes into one buffer, kept between trees while it stays below {@link #KEPT_BUFFER}: a tree of
     * a thousand entries is about 250 KB, and growing a fresh buffer for each would copy it twice over.
     */
    private static final ThreadLocal<Out> SCRATCH = ThreadLocal.withInitial(() -> new Out(64 * 1024));
    private static final int KEPT_BUFFER = 4 << 20;

    static byte[] encode(Tree tree) {
        Out out = SCRATCH.get();
        out.reset();
        try {
            return encodeInto(out, tree);
        } finally {
            if (out.buf.length > KEPT_BUFFER) {
                SCRATCH.remove();
            }
        }
    }

    private static byte[] encodeInto(Out out, Tree tree) {
        out.head(5, 1);
        out.text(K_NODES);
        out.head(4, tree.nodes().size());
        for (Node n : tree.nodes()) {
            encodeNode(out, n);
        }
        return out.toArray();
    }

    private static final byte[] NAME = ascii("name");
    private static final byte[] TYPE = ascii("type");
    private static final byte[] MODE = ascii("mode");
    private static final byte[] UID = ascii("uid");
    private static final byte[] GID = ascii("gid");
    private static final byte[] USER = ascii("user");
    private static final byte[] GROUP = ascii("group");
    private static final byte[] SIZE = ascii("size");
    private static final byte[] MTIME = ascii("mtime");
    private static final byte[] ATIME = ascii("atime");
    private static final byte[] CTIME = ascii("ctime");
    private static final byte[] INODE = ascii("inode");
    private static final byte[] DEV = ascii("dev");
    private static final byte[] LINKS = ascii("links");
    private static final byte[] TARGET = ascii("target");
    private static final byte[] RDEV = ascii("rdev");
    private static final byte[] XATTRS = ascii("xattrs");
    private static final byte[] CONTENT = ascii("content");
    private static final byte[] SUBTREE = ascii("subtree");
    private static final byte[] XN = ascii("n");
    private static final byte[] XV = ascii("v");

    private static void encodeNode(Out out, Node n) {
        int fields = 15 + (n.user() != null ? 1 : 0) + (n.group() != null ? 1 : 0) + (n.linkTarget() != null ? 1 : 0)
                + (n.xattrs() != null ? 1 : 0) + (n.content() != null ? 1 : 0) + (n.subtree() != null ? 1 : 0);
        // name, type, mode, uid, gid, size, mtime, atime, ctime, inode, dev, links, rdev: 13 always present
        fields -= 2;
        out.head(5, fields);
        out.text(NAME);
        out.bytes(n.name().bytes());
        out.text(TYPE);
        out.text(typeName(n.type()));
        out.text(MODE);
        out.integer(n.mode());
        out.text(UID);
        out.integer(n.uid());
        out.text(GID);
        out.integer(n.gid());
        if (n.user() != null) {
            out.text(USER);
            out.text(n.user().getBytes(StandardCharsets.UTF_8));
        }
        if (n.group() != null) {
            out.text(GROUP);
            out.text(n.group().getBytes(StandardCharsets.UTF_8));
        }
        out.text(SIZE);
        out.integer(n.size());
        out.text(MTIME);
        out.integer(n.mtimeNanos());
        out.text(ATIME);
        out.integer(n.atimeNanos());
        out.text(CTIME);
        out.integer(n.ctimeNanos());
        out.text(INODE);
        out.integer(n.inode());
        out.text(DEV);
        out.integer(n.deviceId());
        out.text(LINKS);
        out.integer(n.links());
        if (n.linkTarget() != null) {
            out.text(TARGET);
            out.bytes(n.linkTarget().bytes());
        }
        out.text(RDEV);
        out.integer(n.rdev());
        if (n.xattrs() != null) {
            out.text(XATTRS);
            out.head(4, n.xattrs().size());
            for (Xattr x : n.xattrs()) {
                out.head(5, 2);
                out.text(XN);
                out.text(x.name().getBytes(StandardCharsets.UTF_8));
                out.text(XV);
                out.bytes(x.value());
            }
        }
        if (n.content() != null) {
            out.text(CONTENT);
            out.head(4, n.content().size());
            for (BlobId id : n.content()) {
                out.id(id);
            }
        }
        if (n.subtree() != null) {
            out.text(SUBTREE);
            out.id(n.subtree());
        }
    }

    private static final byte[][] TYPE_NAMES = {ascii("file"), ascii("dir"), ascii("symlink"), ascii("fifo"),
        ascii("socket"), ascii("chardev"), ascii("blockdev")};

    /** NodeType by ordinal, the order of {@link #TYPE_NAMES}. */
    private static final NodeType[] TYPES = NodeType.values();

    private static byte[] typeName(NodeType t) {
        return TYPE_NAMES[t.ordinal()];
    }

    /** A growable output buffer with CBOR heads. */
    private static final class Out {
        private byte[] buf;
        private int pos;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void reset() {
            pos = 0;
        }

        private void room(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(pos + n, buf.length * 2));
            }
        }

        void head(int major, long value) {
            room(9);
            int m = major << 5;
            if (value < 24) {
                buf[pos++] = (byte) (m | value);
            } else if (value < 0x100) {
                buf[pos++] = (byte) (m | 24);
                buf[pos++] = (byte) value;
            } else if (value < 0x10000) {
                buf[pos++] = (byte) (m | 25);
                buf[pos++] = (byte) (value >>> 8);
                buf[pos++] = (byte) value;
            } else if (value < 0x100000000L) {
                buf[pos++] = (byte) (m | 26);
                for (int s = 24; s >= 0; s -= 8) {
                    buf[pos++] = (byte) (value >>> s);
                }
            } else {
                buf[pos++] = (byte) (m | 27);
                for (int s = 56; s >= 0; s -= 8) {
                    buf[pos++] = (byte) (value >>> s);
                }
            }
        }

        void integer(long v) {
            if (v >= 0) {
                head(0, v);
            } else {
                head(1, -1 - v);
            }
        }

        void text(byte[] utf8) {
            head(3, utf8.length);
            raw(utf8);
        }

        void bytes(byte[] b) {
            head(2, b.length);
            raw(b);
        }

        void id(BlobId id) {
            head(2, BlobId.LENGTH);
            room(BlobId.LENGTH);
            id.copyTo(buf, pos);
            pos += BlobId.LENGTH;
        }

        private void raw(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, pos);
        }
    }

    // ---- decoding ---------------------------------------------------------------------------------------------

    static Tree decode(byte[] b, String what) throws CorruptObjectException {
        In in = new In(b, what);
        try {
            List<Node> nodes = null;
            long fields = in.expect(5);
            for (long f = 0; f < fields; f++) {
                String key = in.text();
                if (key.equals("nodes")) {
                    long n = in.expect(4);
                    nodes = new ArrayList<>((int) Math.min(n, 1 << 16));
                    for (long i = 0; i < n; i++) {
                        nodes.add(decodeNode(in));
                    }
                } else {
                    in.skip();
                }
            }
            if (nodes == null || in.pos != b.length) {
                throw new CorruptObjectException(what, "not a tree");
            }
            return new Tree(nodes);
        } catch (ArrayIndexOutOfBoundsException | IllegalArgumentException | NullPointerException e) {
            throw new CorruptObjectException(what, "does not decode as a tree (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Node keys in the order of the {@code K_} constants below. Keys are matched on their bytes, without making a
     * String for each: decoding parent trees is a large part of an incremental backup's CPU.
     */
    private static final byte[][] NODE_KEYS = {NAME, TYPE, MODE, UID, GID, USER, GROUP, SIZE, MTIME, ATIME, CTIME,
        INODE, DEV, LINKS, TARGET, RDEV, XATTRS, CONTENT, SUBTREE};
    private static final int K_NAME = 0;
    private static final int K_TYPE = 1;
    private static final int K_MODE = 2;
    private static final int K_UID = 3;
    private static final int K_GID = 4;
    private static final int K_USER = 5;
    private static final int K_GROUP = 6;
    private static final int K_SIZE = 7;
    private static final int K_MTIME = 8;
    private static final int K_ATIME = 9;
    private static final int K_CTIME = 10;
    private static final int K_INODE = 11;
    private static final int K_DEV = 12;
    private static final int K_LINKS = 13;
    private static final int K_TARGET = 14;
    private static final int K_RDEV = 15;
    private static final int K_XATTRS = 16;
    private static final int K_CONTENT = 17;
    private static final int K_SUBTREE = 18;

    private static Node decodeNode(In in) throws CorruptObjectException {
        FileName name = null;
        NodeType type = null;
        int mode = 0;
        int uid = 0;
        int gid = 0;
        String user = null;
        String group = null;
        long size = 0;
        long mtime = 0;
        long atime = 0;
        long ctime = 0;
        long inode = 0;
        long dev = 0;
        long links = 0;
        FileName target = null;
        long rdev = 0;
        List<Xattr> xattrs = null;
        List<BlobId> content = null;
        BlobId subtree = null;
        long fields = in.expect(5);
        int next = 0;
        for (long f = 0; f < fields; f++) {
            int k = in.key(NODE_KEYS, next);
            if (k >= 0) {
                next = k + 1;
            }
            switch (k) {
                case K_NAME -> name = FileName.of(in.byteString());
                case K_TYPE -> type = in.nodeType();
                case K_MODE -> mode = (int) in.integer();
                case K_UID -> uid = (int) in.integer();
                case K_GID -> gid = (int) in.integer();
                case K_USER -> user = in.repeatedText(0);
                case K_GROUP -> group = in.repeatedText(1);
                case K_SIZE -> size = in.integer();
                case K_MTIME -> mtime = in.integer();
                case K_ATIME -> atime = in.integer();
                case K_CTIME -> ctime = in.integer();
                case K_INODE -> inode = in.integer();
                case K_DEV -> dev = in.integer();
                case K_LINKS -> links = in.integer();
                case K_TARGET -> target = FileName.of(in.byteString());
                case K_RDEV -> rdev = in.integer();
                case K_XATTRS -> xattrs = decodeXattrs(in);
                case K_CONTENT -> content = decodeIds(in);
                case K_SUBTREE -> subtree = in.id();
                default -> in.skip();
            }
        }
        if (name == null || type == null) {
            throw new CorruptObjectException(in.what, "a tree entry has no name or type");
        }
        return new Node(name, type, mode, uid, gid, user, group, size, mtime, atime, ctime, inode, dev, links, target,
                rdev, xattrs, content, subtree);
    }

    private static List<BlobId> decodeIds(In in) throws CorruptObjectException {
        long n = in.expect(4);
        if (n == 1) {
            return List.of(in.id());
        }
        List<BlobId> ids = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) {
            ids.add(in.id());
        }
        return ids;
    }

    private static final byte[][] XATTR_KEYS = {XN, XV};

    private static List<Xattr> decodeXattrs(In in) throws CorruptObjectException {
        long n = in.expect(4);
        List<Xattr> xattrs = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            long xf = in.expect(5);
            String xn = null;
            byte[] xv = null;
            for (long k = 0; k < xf; k++) {
                switch (in.key(XATTR_KEYS, 0)) {
                    case 0 -> xn = in.text();
                    case 1 -> xv = in.byteString();
                    default -> in.skip();
                }
            }
            xattrs.add(new Xattr(xn, xv));
        }
        return xattrs;
    }

    /** A CBOR reader over a byte array. */
    private static final class In {
        final byte[] b;
        final String what;
        int pos;

        In(byte[] b, String what) {
            this.b = b;
            this.what = what;
        }

        private int major;

        /** Reads a head; returns its argument and sets {@link #major}. */
        long head() throws CorruptObjectException {
            int ib = b[pos++] & 0xff;
            major = ib >>> 5;
            int info = ib & 31;
            if (info < 24) {
                return info;
            }
            int n = switch (info) {
                case 24 -> 1;
                case 25 -> 2;
                case 26 -> 4;
                case 27 -> 8;
                default -> throw new CorruptObjectException(what, "indefinite or reserved CBOR length");
            };
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[pos++] & 0xff);
            }
            return v;
        }

        long expect(int wantMajor) throws CorruptObjectException {
            long v = head();
            if (major != wantMajor) {
                throw new CorruptObjectException(what, "CBOR major type " + major + " where " + wantMajor
                        + " belongs");
            }
            if (v < 0 || v > b.length) {
                throw new CorruptObjectException(what, "CBOR length " + v + " past the end");
            }
            return v;
        }

        long integer() throws CorruptObjectException {
            long v = head();
            if (major == 0) {
                return v;
            }
            if (major == 1) {
                return -1 - v;
            }
            throw new CorruptObjectException(what, "CBOR major type " + major + " where an integer belongs");
        }

        String text() throws CorruptObjectException {
            int n = (int) expect(3);
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        /**
         * Reads a text key; returns its index in {@code keys}, or -1 for a key not listed (its value follows). The
         * search starts at {@code from} and wraps around: an encoder writes a node's keys in the order of
         * {@code keys}, so the key after the last one found is nearly always the next, and a decoder that started
         * from the first key compared many of a node's keys (several of one length) for every field.
         */
        int key(byte[][] keys, int from) throws CorruptObjectException {
            int n = (int) expect(3);
            int start = pos;
            pos += n;
            for (int j = 0; j < keys.length; j++) {
                int i = from + j < keys.length ? from + j : from + j - keys.length;
                byte[] k = keys[i];
                if (k.length == n && Arrays.equals(b, start, start + n, k, 0, n)) {
                    return i;
                }
            }
            return -1;
        }

        private final String[] lastText = new String[2];
        private final byte[][] lastTextBytes = new byte[2][];

        /**
         * A text that repeats from entry to entry (user and group names): the String made for the last one in
         * {@code slot} is returned again when the bytes are the same.
         */
        String repeatedText(int slot) throws CorruptObjectException {
            int n = (int) expect(3);
            byte[] last = lastTextBytes[slot];
            if (last != null && last.length == n && Arrays.equals(b, pos, pos + n, last, 0, n)) {
                pos += n;
                return lastText[slot];
            }
            lastTextBytes[slot] = Arrays.copyOfRange(b, pos, pos + n);
            lastText[slot] = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return lastText[slot];
        }

        NodeType nodeType() throws CorruptObjectException {
            int start = pos;
            int i = key(TYPE_NAMES, 0);
            if (i < 0) {
                pos = start;
                throw new CorruptObjectException(what, "unknown entry type '" + text() + "'");
            }
            return TYPES[i];
        }

        byte[] byteString() throws CorruptObjectException {
            int n = (int) expect(2);
            byte[] out = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return out;
        }

        BlobId id() throws CorruptObjectException {
            int n = (int) expect(2);
            if (n != BlobId.LENGTH) {
                throw new CorruptObjectException(what, "an id of " + n + " bytes");
            }
            BlobId id = BlobId.of(b, pos);
            pos += n;
            return id;
        }

        void skip() throws CorruptObjectException {
            long v = head();
            switch (major) {
                case 0, 1, 7 -> {
                }
                case 2, 3 -> pos += (int) v;
                case 4 -> {
                    for (long i = 0; i < v; i++) {
                        skip();
                    }
                }
                case 5 -> {
                    for (long i = 0; i < 2 * v; i++) {
                        skip();
                    }
                }
                case 6 -> skip();
                default -> throw new CorruptObjectException(what, "bad CBOR");
            }
        }
    }
}
