package dev.cairn.store.pack;

import java.util.Arrays;

/** An unsynchronized byte array that grows by doubling. */
final class GrowableBuffer {
    private byte[] buf;
    private int size;

    GrowableBuffer(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
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
            buf = Arrays.copyOf(buf, (int) Math.max(need, Math.min(Integer.MAX_VALUE - 8, 2L * buf.length)));
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

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }
}
