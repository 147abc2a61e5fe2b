package dev.cairn.store.codec;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * scrypt (RFC 7914): PBKDF2-HMAC-SHA256 with one iteration around ROMix, whose BlockMix runs the Salsa20/8 core.
 *
 * <p>cairn's own implementation so that opening a repository loads nothing but the JDK's HMAC: the key is
 * derived once per command, and a third-party provider jar cost a command 0.4-0.6 s of class loading and
 * signature checking before the first derivation. The state is kept as little-endian 32-bit words, so the
 * whole of ROMix works on one {@code int[]} without byte conversions.
 */
final class Scrypt {
    private Scrypt() {}

    /**
     * The {@code length}-byte key scrypt derives from {@code passphrase} and {@code salt} with cost {@code n}
     * (a power of two above 1), block size {@code r} and parallelism {@code p}.
     */
    static byte[] derive(byte[] passphrase, byte[] salt, int n, int r, int p, int length) {
        if (n < 2 || (n & (n - 1)) != 0) {
            throw new IllegalArgumentException("scrypt N " + n + " is not a power of two above 1");
        }
        if (r < 1 || p < 1 || (long) r * p >= 1 << 30 || (long) n * r > 1 << 24 || length < 1) {
            throw new IllegalArgumentException("scrypt parameters N=" + n + " r=" + r + " p=" + p + " are out of range");
        }
        Mac hmac = hmacSha256(passphrase);
        int blockBytes = 128 * r;
        byte[] b = pbkdf2(hmac, salt, p * blockBytes);
        int words = 32 * r;
        int[] x = new int[words];
        int[] y = new int[words];
        int[] v = new int[words * n];
        try {
            for (int i = 0; i < p; i++) {
                int off = i * blockBytes;
                for (int k = 0; k < words; k++) {
                    x[k] = littleEndian(b, off + 4 * k);
                }
                roMix(x, y, v, r, n);
                for (int k = 0; k < words; k++) {
                    putLittleEndian(b, off + 4 * k, x[k]);
                }
            }
            return pbkdf2(hmac, b, length);
        } finally {
            Arrays.fill(b, (byte) 0);
            Arrays.fill(v, 0);
            Arrays.fill(x, 0);
            Arrays.fill(y, 0);
        }
    }

    /** ROMix: fills {@code v} with N successive BlockMix states of {@code x}, then mixes them back in. */
    private static void roMix(int[] x, int[] y, int[] v, int r, int n) {
        int words = 32 * r;
        int[] salsa = new int[16];
        for (int i = 0; i < n; i++) {
            System.arraycopy(x, 0, v, i * words, words);
            blockMix(x, y, salsa, r);
        }
        int last = (2 * r - 1) * 16;
        for (int i = 0; i < n; i++) {
            int j = x[last] & (n - 1);
            int base = j * words;
            for (int k = 0; k < words; k++) {
                x[k] ^= v[base + k];
            }
            blockMix(x, y, salsa, r);
        }
    }

    /**
     * BlockMix of the 2r 64-byte blocks in {@code b}, using {@code y} and the 16-word {@code x} as scratch: each block is XORed into the
     * running state and put through Salsa20/8; even results go to the first half, odd ones to the second.
     */
    private static void blockMix(int[] b, int[] y, int[] x, int r) {
        System.arraycopy(b, (2 * r - 1) * 16, x, 0, 16);
        for (int i = 0; i < 2 * r; i++) {
            salsa8(x, b, i * 16);
            System.arraycopy(x, 0, y, (i >> 1) * 16 + (i & 1) * r * 16, 16);
        }
        System.arraycopy(y, 0, b, 0, 32 * r);
    }

    /**
     * {@code x = Salsa20/8(x XOR b[in..in+16])}. A small method of its own: the JIT compiles it fully after a few
     * thousand of the million calls a derivation makes, which is most of a command's one derivation.
     */
    private static void salsa8(int[] x, int[] b, int in) {
        int j0 = x[0] ^ b[in], j1 = x[1] ^ b[in + 1], j2 = x[2] ^ b[in + 2], j3 = x[3] ^ b[in + 3];
        int j4 = x[4] ^ b[in + 4], j5 = x[5] ^ b[in + 5], j6 = x[6] ^ b[in + 6], j7 = x[7] ^ b[in + 7];
        int j8 = x[8] ^ b[in + 8], j9 = x[9] ^ b[in + 9], j10 = x[10] ^ b[in + 10], j11 = x[11] ^ b[in + 11];
        int j12 = x[12] ^ b[in + 12], j13 = x[13] ^ b[in + 13], j14 = x[14] ^ b[in + 14], j15 = x[15] ^ b[in + 15];
        int x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
        int x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = j12, x13 = j13, x14 = j14, x15 = j15;
        for (int round = 0; round < 8; round += 2) {
            // columns
            x4 ^= Integer.rotateLeft(x0 + x12, 7);
            x8 ^= Integer.rotateLeft(x4 + x0, 9);
            x12 ^= Integer.rotateLeft(x8 + x4, 13);
            x0 ^= Integer.rotateLeft(x12 + x8, 18);
            x9 ^= Integer.rotateLeft(x5 + x1, 7);
            x13 ^= Integer.rotateLeft(x9 + x5, 9);
            x1 ^= Integer.rotateLeft(x13 + x9, 13);
            x5 ^= Integer.rotateLeft(x1 + x13, 18);
            x14 ^= Integer.rotateLeft(x10 + x6, 7);
            x2 ^= Integer.rotateLeft(x14 + x10, 9);
            x6 ^= Integer.rotateLeft(x2 + x14, 13);
            x10 ^= Integer.rotateLeft(x6 + x2, 18);
            x3 ^= Integer.rotateLeft(x15 + x11, 7);
            x7 ^= Integer.rotateLeft(x3 + x15, 9);
            x11 ^= Integer.rotateLeft(x7 + x3, 13);
            x15 ^= Integer.rotateLeft(x11 + x7, 18);
            // rows
            x1 ^= Integer.rotateLeft(x0 + x3, 7);
            x2 ^= Integer.rotateLeft(x1 + x0, 9);
            x3 ^= Integer.rotateLeft(x2 + x1, 13);
            x0 ^= Integer.rotateLeft(x3 + x2, 18);
            x6 ^= Integer.rotateLeft(x5 + x4, 7);
            x7 ^= Integer.rotateLeft(x6 + x5, 9);
            x4 ^= Integer.rotateLeft(x7 + x6, 13);
            x5 ^= Integer.rotateLeft(x4 + x7, 18);
            x11 ^= Integer.rotateLeft(x10 + x9, 7);
            x8 ^= Integer.rotateLeft(x11 + x10, 9);
            x9 ^= Integer.rotateLeft(x8 + x11, 13);
            x10 ^= Integer.rotateLeft(x9 + x8, 18);
            x12 ^= Integer.rotateLeft(x15 + x14, 7);
            x13 ^= Integer.rotateLeft(x12 + x15, 9);
            x14 ^= Integer.rotateLeft(x13 + x12, 13);
            x15 ^= Integer.rotateLeft(x14 + x13, 18);
        }
        x[0] = x0 + j0; x[1] = x1 + j1; x[2] = x2 + j2; x[3] = x3 + j3;
        x[4] = x4 + j4; x[5] = x5 + j5; x[6] = x6 + j6; x[7] = x7 + j7;
        x[8] = x8 + j8; x[9] = x9 + j9; x[10] = x10 + j10; x[11] = x11 + j11;
        x[12] = x12 + j12; x[13] = x13 + j13; x[14] = x14 + j14; x[15] = x15 + j15;
    }

    /** PBKDF2-HMAC-SHA256 with one iteration, as scrypt uses it. */
    private static byte[] pbkdf2(Mac hmac, byte[] salt, int length) {
        byte[] out = new byte[length];
        byte[] counter = new byte[4];
        for (int block = 1, off = 0; off < length; block++, off += 32) {
            counter[0] = (byte) (block >>> 24);
            counter[1] = (byte) (block >>> 16);
            counter[2] = (byte) (block >>> 8);
            counter[3] = (byte) block;
            hmac.update(salt);
            byte[] t = hmac.doFinal(counter);
            System.arraycopy(t, 0, out, off, Math.min(32, length - off));
        }
        return out;
    }

    private static Mac hmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // HMAC pads its key with zeros to the hash's block size, so an empty key is the same as one zero byte,
            // which SecretKeySpec (unlike an empty array) accepts.
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    private static int littleEndian(byte[] b, int off) {
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
    }

    private static void putLittleEndian(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }
}
