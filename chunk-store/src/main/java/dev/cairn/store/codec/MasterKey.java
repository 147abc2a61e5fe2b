package dev.cairn.store.codec;

import dev.cairn.store.CorruptObjectException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A repository's secret: a 32-byte AES-256 encryption key and a 32-byte chunk-id (HMAC) key. A repository
 * created with {@code --insecure-no-encryption} has only the id key.
 *
 * <p>On disk the key material is wrapped under a key derived from a passphrase with scrypt; see
 * {@link #wrap} and {@code docs/FORMAT.md}.
 */
public final class MasterKey {
    static final int KEY_LENGTH = 32;
    private static final byte[] WRAP_AAD = "cairn key v1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 12;
    private static final int TAG = 16;

    private final byte[] encryptionKey; // null when unencrypted
    private final byte[] idKey;

    private MasterKey(byte[] encryptionKey, byte[] idKey) {
        this.encryptionKey = encryptionKey;
        this.idKey = idKey;
    }

    /** A fresh random key; without an encryption key when {@code encrypted} is false. */
    public static MasterKey random(SecureRandom random, boolean encrypted) {
        byte[] id = new byte[KEY_LENGTH];
        random.nextBytes(id);
        byte[] enc = null;
        if (encrypted) {
            enc = new byte[KEY_LENGTH];
            random.nextBytes(enc);
        }
        return new MasterKey(enc, id);
    }

    public boolean encrypted() {
        return encryptionKey != null;
    }

    /** The key material: encryption key (if any) followed by the id key. */
    byte[] material() {
        if (encryptionKey == null) {
            return idKey.clone();
        }
        byte[] out = Arrays.copyOf(encryptionKey, 2 * KEY_LENGTH);
        System.arraycopy(idKey, 0, out, KEY_LENGTH, KEY_LENGTH);
        return out;
    }

    /** Rebuilds a key from its {@linkplain #material material}, as stored unwrapped in an unencrypted repository. */
    public static MasterKey fromMaterial(byte[] material, String what) throws CorruptObjectException {
        if (material.length == KEY_LENGTH) {
            return new MasterKey(null, material.clone());
        }
        if (material.length == 2 * KEY_LENGTH) {
            return new MasterKey(Arrays.copyOfRange(material, 0, KEY_LENGTH),
                    Arrays.copyOfRange(material, KEY_LENGTH, 2 * KEY_LENGTH));
        }
        throw new CorruptObjectException(what, "key material of " + material.length + " bytes");
    }

    /** The key material in plain form, for the key file of an unencrypted repository. */
    public byte[] plainMaterial() {
        if (encrypted()) {
            throw new IllegalStateException("an encryption key is never stored unwrapped");
        }
        return material();
    }

    /** Wraps the key material under the passphrase: {@code nonce || AES-256-GCM(material) || tag}. */
    public byte[] wrap(char[] passphrase, KdfParams kdf, SecureRandom random) {
        byte[] wrapKey = kdf.derive(passphrase);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(wrapKey, "AES"), new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(WRAP_AAD);
            byte[] ct = c.doFinal(material());
            byte[] out = Arrays.copyOf(nonce, NONCE + ct.length);
            System.arraycopy(ct, 0, out, NONCE, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(wrapKey, (byte) 0);
        }
    }

    /**
     * Unwraps key material sealed by {@link #wrap}; empty when the passphrase does not open it.
     *
     * <p>A key once opened in this process is remembered, by the wrapped bytes, the KDF parameters and the
     * passphrase together: the daemon opens the same repository for every run (the backup, then the size listing),
     * and each scrypt derivation costs a tenth of a second or more of CPU. The process holds the passphrase and,
     * while a repository is open, this key anyway; a passphrase that fails is never remembered.
     *
     * @throws CorruptObjectException if the wrapped bytes are too short to be a key
     */
    public static java.util.Optional<MasterKey> unwrap(byte[] wrapped, char[] passphrase, KdfParams kdf, String what)
            throws CorruptObjectException {
        if (wrapped.length < NONCE + TAG + KEY_LENGTH) {
            throw new CorruptObjectException(what, "wrapped key of " + wrapped.length + " bytes");
        }
        String opened = openedKey(wrapped, passphrase, kdf);
        synchronized (OPENED) {
            MasterKey known = OPENED.get(opened);
            if (known != null) {
                return java.util.Optional.of(known);
            }
        }
        java.util.Optional<MasterKey> key = unwrapWithScrypt(wrapped, passphrase, kdf, what);
        if (key.isPresent()) {
            synchronized (OPENED) {
                OPENED.put(opened, key.get());
            }
        }
        return key;
    }

    /** Keys opened in this process (a few repositories at most), by {@link #openedKey}. */
    private static final java.util.Map<String, MasterKey> OPENED = new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, MasterKey> eldest) {
            return size() > 16;
        }
    };

    /** SHA-256 of everything an unwrap depends on: the wrapped bytes, the KDF parameters and the passphrase. */
    private static String openedKey(byte[] wrapped, char[] passphrase, KdfParams kdf) {
        byte[] pass = new String(passphrase).getBytes(StandardCharsets.UTF_8);
        try {
            java.security.MessageDigest d = java.security.MessageDigest.getInstance("SHA-256");
            d.update(WRAP_AAD);
            d.update(java.nio.ByteBuffer.allocate(16).putInt(kdf.n()).putInt(kdf.r()).putInt(kdf.p())
                    .putInt(kdf.salt().length).array());
            d.update(kdf.salt());
            d.update(java.nio.ByteBuffer.allocate(4).putInt(wrapped.length).array());
            d.update(wrapped);
            d.update(pass);
            return java.util.HexFormat.of().formatHex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(pass, (byte) 0);
        }
    }

    private static java.util.Optional<MasterKey> unwrapWithScrypt(byte[] wrapped, char[] passphrase, KdfParams kdf,
            String what) throws CorruptObjectException {
        byte[] wrapKey = kdf.derive(passphrase);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(wrapKey, "AES"),
                    new GCMParameterSpec(TAG * 8, wrapped, 0, NONCE));
            c.updateAAD(WRAP_AAD);
            byte[] material = c.doFinal(wrapped, NONCE, wrapped.length - NONCE);
            return java.util.Optional.of(fromMaterial(material, what));
        } catch (AEADBadTagException wrongPassphrase) {
            return java.util.Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        } finally {
            Arrays.fill(wrapKey, (byte) 0);
        }
    }

    /** A new id hasher under this key (one per thread). */
    public ChunkIdHasher newIdHasher() {
        return new ChunkIdHasher(idKey);
    }

    /** A new codec under this key (one per thread). */
    public BlobCodec newCodec(Compression compression) {
        return new BlobCodec(encryptionKey == null ? null : new SecretKeySpec(encryptionKey, "AES"), compression);
    }

    /** A parameter record for scrypt: cost {@code n} (a power of two), block size {@code r}, parallelism {@code p}. */
    public record KdfParams(String algorithm, int n, int r, int p, byte[] salt) {
        /** 2^15 / 8 / 1: about 32 MiB and a fraction of a second per attempt. */
        public static final int DEFAULT_N = 1 << 15;

        public KdfParams {
            if (!algorithm.equals("scrypt")) {
                throw new IllegalArgumentException("key derivation '" + algorithm + "' is not scrypt");
            }
            if (n < 2 || (n & (n - 1)) != 0) {
                throw new IllegalArgumentException("scrypt N " + n + " is not a power of two above 1");
            }
            if (r < 1 || p < 1 || (long) n * r > (1L << 24)) {
                throw new IllegalArgumentException("scrypt parameters N=" + n + " r=" + r + " p=" + p + " are out of range");
            }
            if (salt.length < 16) {
                throw new IllegalArgumentException("scrypt salt of " + salt.length + " bytes is below 16");
            }
        }

        /** scrypt with cost {@code n}, r=8, p=1 and a fresh 32-byte salt. */
        public static KdfParams scrypt(int n, SecureRandom random) {
            byte[] salt = new byte[32];
            random.nextBytes(salt);
            return new KdfParams("scrypt", n, 8, 1, salt);
        }

        byte[] derive(char[] passphrase) {
            byte[] pass = new String(passphrase).getBytes(StandardCharsets.UTF_8);
            try {
                return Scrypt.derive(pass, salt, n, r, p, KEY_LENGTH);
            } finally {
                Arrays.fill(pass, (byte) 0);
            }
        }
    }
}
