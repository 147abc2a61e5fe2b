package dev.cairn.store.pack;

import java.util.Arrays;

/**
 * An unsynchronized byte array that grows by doubling up to a soft capacity, and past it only by what is needed:
 * a pack buffer that doubled when its header is appended would hold twice the pack and copy it whole.
 */
final class GrowableBuffer {
    private final int softCapacity;
    private byte[] buf;
    private int size;

    GrowableBuffer(int initialCapacity) {
        this(initialCapacity, Integer.MAX_VALUE - 8);
    }

    GrowableBuffer(int initialCapacity, int softCapacity) {
        this.softCapacity = softCapacity;
        buf = new byte[Math.max(16, Math.min(initialCapacity, softCapacity))];
    }

    byte[] array() {
        return buf;
    }

    int size() {
        return size;
    }

    void ensureFree(int n) {
        long need = (long) size + n;
        if (need > buf.length) {
            if (need > Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("pack buffer above 2 GiB");
            }
            long doubled = Math.min(2L * buf.length, softCapacity);
            buf = Arrays.copyOf(buf, (int) Math.max(need + (need >= softCapacity ? need / 16 : 0), doubled));
        }
    }

    void advance(int n) {
        size += n;
    }

    void putInt(int v) {
        ensureFree(4);
        buf[size] = (byte) (v >>> 24);
        buf[size + 1] = (byte) (v >>> 16);
        buf[size + 2] = (byte) (v >>> 8);
        buf[size + 3] = (byte) v;
        size += 4;
    }

    void put(byte[] b, int off, int len) {
        ensureFree(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
    }

    void clear() {
        size = 0;
    }
}
