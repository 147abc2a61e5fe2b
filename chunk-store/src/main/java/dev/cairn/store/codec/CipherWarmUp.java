package dev.cairn.store.codec;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Gets the JIT to compile the JDK's AES-GCM decryption path early. That path is compiled only after about
 * 5,000 calls; with one call per blob it stays interpreted (about 50 MB/s instead of 2 GB/s) for several seconds
 * of a restore or of pack verification (see {@code CodecBenchmark.decrypt}). When a codec first opens a blob of
 * {@link #BULK} bytes or more, a daemon thread makes those calls on a throwaway key; compiled code is shared by every
 * thread, so real work speeds up as soon as it finishes. Runs once per JVM; nothing waits for it.
 *
 * <p>The calls are of 1 KiB: the count is what gets the path compiled. With 8 KiB calls the warm-up itself spent
 * 0.6-1.0 s of CPU in a restore of the kernel tree, and the restore 2.6-5.1% of its samples in the JDK's Java GHASH
 * ({@code GHASH.blockMult}); with 1 KiB, 0.1-0.3 s and 0.5-2.2% (five alternating restores each, perf).
 */
final class CipherWarmUp {
    static final int ROUNDS = 6_000;
    static final int SIZE = 1024;
    /** Blobs at least this large start the warm-up: bulk decryption is under way. */
    static final int BULK = 64 * 1024;
    private static final java.util.concurrent.atomic.AtomicBoolean STARTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private CipherWarmUp() {
    }

    static void start() {
        if (STARTED.get() || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(CipherWarmUp::run, "cairn-cipher-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    static void run() {
        try {
            byte[] keyBytes = new byte[32];
            new SecureRandom().nextBytes(keyBytes);
            SecretKeySpec key = new SecretKeySpec(keyBytes, "AES");
            Cipher enc = Cipher.getInstance("AES/GCM/NoPadding");
            Cipher dec = Cipher.getInstance("AES/GCM/NoPadding");
            byte[] nonce = new byte[12];
            byte[] plain = new byte[SIZE];
            byte[] sealed = new byte[SIZE + 16];
            byte[] back = new byte[SIZE];
            GCMParameterSpec spec = new GCMParameterSpec(128, nonce);
            enc.init(Cipher.ENCRYPT_MODE, key, spec);
            int n = enc.doFinal(plain, 0, SIZE, sealed, 0);
            for (int i = 0; i < ROUNDS; i++) {
                dec.init(Cipher.DECRYPT_MODE, key, spec);
                dec.doFinal(sealed, 0, n, back, 0);
            }
        } catch (GeneralSecurityException e) {
            // Only a warm-up: the real cipher reports its own failures.
        }
    }
}
