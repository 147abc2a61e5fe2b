package dev.cairn.store.chunker;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * FastCDC 2020: gear-hash content-defined chunking with normalized chunking, rolling two bytes per step.
 *
 * <p>The gear table entry {@code i} is the first 8 bytes (big-endian) of MD5 over 64 bytes equal to {@code i};
 * the 2020 variant also uses that table shifted left by one. With {@code bits = round(log2(avg))} and level
 * {@code n}, the strict mask below the average is {@code MASKS[bits + n]} and the loose one above it
 * {@code MASKS[bits - n]}. An instance is immutable and thread-safe; a {@link Stream} is not.
 */
public final class FastCdc {
    static final int MIN_MASK_BITS = 5;
    static final int MAX_MASK_BITS = 25;

    private static final long[] MASKS = new long[MAX_MASK_BITS + 1];
    static final long[] GEAR = new long[256];
    private static final long[] GEAR_LS = new long[256];

    static {
        long[] m = {
            0x0000000001804110L, 0x0000000001803110L, 0x0000000018035100L, 0x0000001800035300L,
            0x0000019000353000L, 0x0000590003530000L, 0x0000d90003530000L, 0x0000d90103530000L,
            0x0000d90303530000L, 0x0000d90313530000L, 0x0000d90f03530000L, 0x0000d90303537000L,
            0x0000d90703537000L, 0x0000d90707537000L, 0x0000d91707537000L, 0x0000d91747537000L,
            0x0000d91767537000L, 0x0000d93767537000L, 0x0000d93777537000L, 0x0000d93777577000L,
            0x0000db3777577000L,
        };
        System.arraycopy(m, 0, MASKS, MIN_MASK_BITS, m.length);
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            byte[] block = new byte[64];
            for (int i = 0; i < 256; i++) {
                java.util.Arrays.fill(block, (byte) i);
                byte[] d = md5.digest(block);
                long v = 0;
                for (int b = 0; b < 8; b++) {
                    v = (v << 8) | (d[b] & 0xff);
                }
                GEAR[i] = v;
                GEAR_LS[i] = v << 1;
            }
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The most a stream asks its input for at once. */
    static final int MAX_READ = 1 << 20;

    private final ChunkerParams params;
    private final long maskS;
    private final long maskL;
    private final long maskSLs;
    private final long maskLLs;

    private FastCdc(ChunkerParams params) {
        this.params = params;
        int bits = params.bits();
        this.maskS = MASKS[bits + params.normalization()];
        this.maskL = MASKS[bits - params.normalization()];
        this.maskSLs = maskS << 1;
        this.maskLLs = maskL << 1;
    }

    /** A chunker for {@code params}. */
    public static FastCdc of(ChunkerParams params) {
        return new FastCdc(params);
    }

    public ChunkerParams params() {
        return params;
    }

    /**
     * The length of the chunk that starts at {@code buf[start]}, given that {@code remaining} bytes of input are
     * left, all of them (up to the max size) in the buffer.
     */
    public int cut(byte[] buf, int start, int remaining) {
        int min = params.minSize();
        if (remaining <= min) {
            return remaining;
        }
        int end = Math.min(remaining, params.maxSize());
        int center = Math.min(remaining, params.avgSize());
        int index = min >>> 1;
        int centerHalf = center >>> 1;
        int endHalf = end >>> 1;
        long hash = 0;
        long mS = maskS;
        long mSLs = maskSLs;
        for (; index < centerHalf; index++) {
            int a = index << 1;
            hash = (hash << 2) + GEAR_LS[buf[start + a] & 0xff];
            if ((hash & mSLs) == 0) {
                return a;
            }
            hash += GEAR[buf[start + a + 1] & 0xff];
            if ((hash & mS) == 0) {
                return a + 1;
            }
        }
        long mL = maskL;
        long mLLs = maskLLs;
        for (; index < endHalf; index++) {
            int a = index << 1;
            hash = (hash << 2) + GEAR_LS[buf[start + a] & 0xff];
            if ((hash & mLLs) == 0) {
                return a;
            }
            hash += GEAR[buf[start + a + 1] & 0xff];
            if ((hash & mL) == 0) {
                return a + 1;
            }
        }
        return end;
    }

    /**
     * A stream of chunks over {@code in}, using {@code buffer} (at least {@link #bufferSize()} bytes) as its only
     * storage. Chunks are exposed in place: {@link Stream#buffer()} from {@link Stream#chunkStart()} for
     * {@link Stream#chunkLength()} bytes, valid until the next call to {@link Stream#next()}.
     */
    public Stream stream(InputStream in, byte[] buffer) {
        if (buffer.length < bufferSize()) {
            throw new IllegalArgumentException("chunker buffer of " + buffer.length + " bytes is below "
                    + bufferSize());
        }
        return new Stream(in, buffer);
    }

    /** The buffer size {@link #stream} needs: twice the max chunk size, so refills copy at most half of it. */
    public int bufferSize() {
        return 2 * params.maxSize();
    }

    /** Chunks of one input, in order. Not thread-safe. */
    public final class Stream {
        private final InputStream in;
        private final byte[] buf;
        private int pos;
        private int limit;
        private boolean eof;
        private int chunkStart;
        private int chunkLength;
        private long offset;
        private long nextOffset;

        private Stream(InputStream in, byte[] buf) {
            this.in = in;
            this.buf = buf;
        }

        /** Advances to the next chunk; false at the end of the input. */
        public boolean next() throws IOException {
            if (!eof && limit - pos < params.maxSize()) {
                fill();
            }
            int available = limit - pos;
            if (available == 0) {
                chunkLength = 0;
                return false;
            }
            int len = cut(buf, pos, available);
            chunkStart = pos;
            chunkLength = len;
            offset = nextOffset;
            nextOffset += len;
            pos += len;
            return true;
        }

        private void fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            while (limit < buf.length) {
                // Bounded reads: the JDK stages each read through a native buffer of the requested size.
                int n = in.read(buf, limit, Math.min(buf.length - limit, MAX_READ));
                if (n < 0) {
                    eof = true;
                    return;
                }
                limit += n;
            }
        }

        public byte[] buffer() {
            return buf;
        }

        public int chunkStart() {
            return chunkStart;
        }

        public int chunkLength() {
            return chunkLength;
        }

        /** Offset of the current chunk in the input. */
        public long offset() {
            return offset;
        }
    }

    @Override
    public String toString() {
        return "FastCdc" + params;
    }

}
