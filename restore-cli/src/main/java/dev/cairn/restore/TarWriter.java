package dev.cairn.restore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a POSIX tar stream (ustar headers, with pax extended headers for what ustar cannot hold: long names and
 * link targets, sizes of 8 GiB and more, large ids, nanosecond times). Names are written as raw bytes.
 */
final class TarWriter implements AutoCloseable {
    static final byte FILE = '0';
    static final byte HARDLINK = '1';
    static final byte SYMLINK = '2';
    static final byte CHAR_DEVICE = '3';
    static final byte BLOCK_DEVICE = '4';
    static final byte DIRECTORY = '5';
    static final byte FIFO = '6';

    private static final byte[] ZERO_BLOCK = new byte[512];
    private final OutputStream out;
    private long pending;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    /** An entry's header fields. {@code size} is the content that follows (regular files only). */
    record Header(byte[] name, byte type, int mode, long uid, long gid, String user, String group, long size,
            long mtimeNanos, byte[] linkName, long devMajor, long devMinor) {
    }

    /** Writes a header; for a regular file, exactly {@code size} bytes of content must follow through {@link #write}. */
    void header(Header h) throws IOException {
        if (pending != 0) {
            throw new IllegalStateException(pending + " bytes of the previous entry's content are missing");
        }
        byte[] name = h.name();
        boolean longName = name.length > 100 || !ascii(name);
        boolean longLink = h.linkName() != null && (h.linkName().length > 100 || !ascii(h.linkName()));
        byte[] paxBytes = paxRecords(h, longName, longLink);
        if (paxBytes.length > 0) {
            byte[] pn = ("PaxHeaders/" + tail(name)).getBytes(StandardCharsets.UTF_8);
            block(Arrays.copyOf(pn, Math.min(pn.length, 100)), (byte) 'x', 0644, 0, 0, "", "", paxBytes.length, 0,
                    null, 0, 0);
            out.write(paxBytes);
            pad(paxBytes.length);
        }
        byte[] ustarName = longName ? Arrays.copyOf(asciiTail(name), Math.min(asciiTail(name).length, 100)) : name;
        byte[] link = h.linkName() == null ? null
                : longLink ? Arrays.copyOf(asciiTail(h.linkName()), Math.min(100, asciiTail(h.linkName()).length))
                : h.linkName();
        block(ustarName, h.type(), h.mode(), h.uid(), h.gid(), h.user(), h.group(), h.size(),
                Math.floorDiv(h.mtimeNanos(), 1_000_000_000L), link, h.devMajor(), h.devMinor());
        pending = h.type() == FILE ? h.size() : 0;
    }

    /** Content of the current regular file. */
    void write(byte[] b, int off, int len) throws IOException {
        if (len > pending) {
            throw new IllegalStateException("entry content longer than its header says");
        }
        out.write(b, off, len);
        pending -= len;
    }

    /** Finishes the current file's content (padding to a whole block). */
    void endEntry(long size) throws IOException {
        if (pending != 0) {
            throw new IllegalStateException(pending + " bytes of content missing");
        }
        pad(size);
    }

    @Override
    public void close() throws IOException {
        out.write(ZERO_BLOCK);
        out.write(ZERO_BLOCK);
        out.flush();
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % 512);
        if (rest != 0) {
            out.write(ZERO_BLOCK, 0, 512 - rest);
        }
    }

    private static byte[] paxRecords(Header h, boolean longName, boolean longLink) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        if (longName) {
            record(b, "path", h.name());
        }
        if (longLink) {
            record(b, "linkpath", h.linkName());
        }
        if (h.size() >= 077777777777L) {
            record(b, "size", Long.toString(h.size()).getBytes(StandardCharsets.US_ASCII));
        }
        if (h.uid() > 07777777) {
            record(b, "uid", Long.toString(h.uid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (h.gid() > 07777777) {
            record(b, "gid", Long.toString(h.gid()).getBytes(StandardCharsets.US_ASCII));
        }
        if (Math.floorMod(h.mtimeNanos(), 1_000_000_000L) != 0 || h.mtimeNanos() < 0) {
            long s = Math.floorDiv(h.mtimeNanos(), 1_000_000_000L);
            long ns = Math.floorMod(h.mtimeNanos(), 1_000_000_000L);
            record(b, "mtime", String.format("%d.%09d", s, ns).getBytes(StandardCharsets.US_ASCII));
        }
        return b.toByteArray();
    }

    /** A pax record: "LEN KEY=VALUE\n", where LEN counts the whole record including itself. */
    private static void record(java.io.ByteArrayOutputStream b, String key, byte[] value) {
        int body = 1 + key.length() + 1 + value.length + 1;
        int len = body + Integer.toString(body).length();
        if (Integer.toString(len).length() != Integer.toString(body).length()) {
            len++;
        }
        b.writeBytes((len + " " + key + "=").getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(value);
        b.write('\n');
    }

    private void block(byte[] name, byte type, int mode, long uid, long gid, String user, String group, long size,
            long mtime, byte[] link, long major, long minor) throws IOException {
        byte[] h = new byte[512];
        System.arraycopy(name, 0, h, 0, Math.min(100, name.length));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, Math.min(uid, 07777777));
        octal(h, 116, 8, Math.min(gid, 07777777));
        octal(h, 124, 12, Math.min(size, 077777777777L));
        octal(h, 136, 12, Math.max(0, Math.min(mtime, 077777777777L)));
        Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = type;
        if (link != null) {
            System.arraycopy(link, 0, h, 157, Math.min(100, link.length));
        }
        System.arraycopy("ustar\0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 6);
        h[263] = '0';
        h[264] = '0';
        string(h, 265, 32, user);
        string(h, 297, 32, group);
        octal(h, 329, 8, major);
        octal(h, 337, 8, minor);
        long sum = 0;
        for (byte x : h) {
            sum += x & 0xff;
        }
        octal(h, 148, 7, sum);
        out.write(h);
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = Long.toOctalString(v);
        int digits = len - 1;
        while (s.length() < digits) {
            s = "0" + s;
        }
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, b.length - digits, h, off, digits);
        h[off + digits] = 0;
    }

    private static void string(byte[] h, int off, int len, String s) {
        if (s != null) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, h, off, Math.min(len - 1, b.length));
        }
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static byte[] asciiTail(byte[] b) {
        byte[] t = tail(b).getBytes(StandardCharsets.US_ASCII);
        return t.length == 0 ? "entry".getBytes(StandardCharsets.US_ASCII) : t;
    }

    private static String tail(byte[] name) {
        StringBuilder sb = new StringBuilder();
        for (byte x : name) {
            sb.append(x >= 0x20 && x < 0x7f ? (char) x : '_');
        }
        return sb.length() > 80 ? sb.substring(sb.length() - 80) : sb.toString();
    }
}
