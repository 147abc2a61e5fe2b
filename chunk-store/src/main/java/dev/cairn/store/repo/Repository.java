package dev.cairn.store.repo;

import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.NoSuchObjectException;
import dev.cairn.store.ObjectExistsException;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.chunker.FastCdc;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.ChunkIdHasher;
import dev.cairn.store.codec.Compression;
import dev.cairn.store.codec.MasterKey;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * An opened repository: its store, config and master key. Thread-safe; per-thread helpers (codecs, id hashers)
 * come from {@link #newCodec()} and {@link #newIdHasher()}.
 */
public final class Repository implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlobStore store;
    private final RepositoryConfig config;
    private final MasterKey masterKey;
    private final ObjectName keyInUse;
    private final Clock clock;

    private Repository(BlobStore store, RepositoryConfig config, MasterKey masterKey, ObjectName keyInUse,
            Clock clock) {
        this.store = store;
        this.config = config;
        this.masterKey = masterKey;
        this.keyInUse = keyInUse;
        this.clock = clock;
    }

    /** Settings for {@link #init}, validated on construction. */
    public record InitOptions(ChunkerParams chunker, Compression compression, boolean encrypted, int packSize,
            int kdfCost) {
        public InitOptions {
            if (packSize < 1024 || packSize > 1 << 30) {
                throw new IllegalArgumentException("pack size " + packSize + " is not between 1 KiB and 1 GiB");
            }
            if (kdfCost < 2 || (kdfCost & (kdfCost - 1)) != 0) {
                throw new IllegalArgumentException("KDF cost " + kdfCost + " is not a power of two");
            }
        }

        /** Defaults: FastCDC 512 KiB / 1 MiB / 8 MiB, zstd level 3, AES-256-GCM, 16 MiB packs, scrypt N=2^15. */
        public static InitOptions defaults() {
            return new InitOptions(ChunkerParams.DEFAULT, Compression.DEFAULT, true,
                    RepositoryConfig.DEFAULT_PACK_SIZE, MasterKey.KdfParams.DEFAULT_N);
        }

        public InitOptions withChunker(ChunkerParams p) {
            return new InitOptions(p, compression, encrypted, packSize, kdfCost);
        }

        public InitOptions withCompression(Compression c) {
            return new InitOptions(chunker, c, encrypted, packSize, kdfCost);
        }

        public InitOptions withEncryption(boolean e) {
            return new InitOptions(chunker, compression, e, packSize, kdfCost);
        }

        public InitOptions withPackSize(int s) {
            return new InitOptions(chunker, compression, encrypted, s, kdfCost);
        }

        public InitOptions withKdfCost(int n) {
            return new InitOptions(chunker, compression, encrypted, packSize, n);
        }
    }

    /**
     * Creates a repository in an empty store. The passphrase wraps the new master key; it is ignored (and may be
     * null) for an unencrypted repository.
     *
     * @throws RepositoryException if the store holds a repository (a config) already
     */
    public static Repository init(BlobStore store, InitOptions options, char[] passphrase, Clock clock)
            throws IOException {
        if (store.stat(ObjectName.CONFIG).isPresent()) {
            throw new RepositoryException(store.location() + " holds a repository already");
        }
        if (options.encrypted() && (passphrase == null || passphrase.length == 0)) {
            throw new RepositoryException("an encrypted repository needs a non-empty passphrase");
        }
        byte[] idBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        RepositoryConfig config = RepositoryConfig.create(HexFormat.of().formatHex(idBytes), options.chunker(),
                options.compression(), options.encrypted(), options.packSize());
        MasterKey key = MasterKey.random(RANDOM, options.encrypted());
        // The key first: a config without a key would be an unopenable repository.
        ObjectName keyName = storeKey(store, key, passphrase, options.kdfCost(), clock);
        try {
            store.put(ObjectName.CONFIG, config.toJson());
        } catch (ObjectExistsException raced) {
            store.delete(keyName);
            throw new RepositoryException(store.location() + " holds a repository already");
        }
        return new Repository(store, config, key, keyName, clock);
    }

    /**
     * Opens the repository in {@code store} with the passphrase (ignored for an unencrypted repository).
     *
     * @throws RepositoryException if there is no repository, it is foreign or newer, or no key opens
     */
    public static Repository open(BlobStore store, char[] passphrase, Clock clock) throws IOException {
        RepositoryConfig config = readConfig(store);
        List<ObjectInfo> keys = new ArrayList<>(store.list(ObjectType.KEY));
        if (keys.isEmpty()) {
            throw new RepositoryException(store.location() + " has no keys: it cannot be opened");
        }
        keys.sort(Comparator.comparing(k -> k.name().id()));
        CorruptObjectException firstCorrupt = null;
        for (ObjectInfo info : keys) {
            KeyFile kf;
            String what = info.name().toString();
            try {
                byte[] bytes = store.get(info.name());
                if (!info.name().id().equals(sha256Hex(bytes))) {
                    throw new CorruptObjectException(what, "content does not match its name");
                }
                kf = KeyFile.parse(bytes, what);
            } catch (CorruptObjectException e) {
                firstCorrupt = firstCorrupt == null ? e : firstCorrupt;
                continue;
            }
            Optional<MasterKey> key;
            if (kf.kdf() == null) {
                if (config.encrypted()) {
                    firstCorrupt = firstCorrupt == null
                            ? new CorruptObjectException(what, "unwrapped key in an encrypted repository")
                            : firstCorrupt;
                    continue;
                }
                key = Optional.of(MasterKey.fromMaterial(kf.data(), what));
            } else {
                if (passphrase == null) {
                    throw new RepositoryException("a passphrase is needed to open " + store.location());
                }
                key = MasterKey.unwrap(kf.data(), passphrase, kf.kdf().params(), what);
            }
            if (key.isPresent()) {
                if (key.get().encrypted() != config.encrypted()) {
                    throw new CorruptObjectException(what, "key does not match the config's encryption");
                }
                return new Repository(store, config, key.get(), info.name(), clock);
            }
        }
        if (firstCorrupt != null && keys.size() == 1) {
            throw firstCorrupt;
        }
        throw new RepositoryException.WrongPassphrase("wrong passphrase: none of the " + keys.size()
                + " keys of " + store.location() + " opens with it"
                + (firstCorrupt != null ? " (" + firstCorrupt.getMessage() + ")" : ""));
    }

    /**
     * Reads and validates the config.
     *
     * @throws RepositoryException if the store holds no repository
     */
    public static RepositoryConfig readConfig(BlobStore store) throws IOException {
        byte[] bytes;
        try {
            bytes = store.get(ObjectName.CONFIG);
        } catch (NoSuchObjectException e) {
            throw new RepositoryException("no cairn repository at " + store.location() + " (no config)");
        }
        return RepositoryConfig.parse(bytes, store.location());
    }

    private static ObjectName storeKey(BlobStore store, MasterKey key, char[] passphrase, int kdfCost, Clock clock)
            throws IOException {
        KeyFile kf;
        String created = Instant.now(clock).toString();
        String host = hostName();
        String user = System.getProperty("user.name", "");
        if (key.encrypted()) {
            MasterKey.KdfParams kdf = MasterKey.KdfParams.scrypt(kdfCost, RANDOM);
            kf = new KeyFile(KeyFile.VERSION, created, host, user, KeyFile.Kdf.of(kdf), key.wrap(passphrase, kdf, RANDOM));
        } else {
            kf = new KeyFile(KeyFile.VERSION, created, host, user, null, key.plainMaterial());
        }
        byte[] json = kf.toJson();
        ObjectName name = ObjectName.of(ObjectType.KEY, sha256Hex(json));
        store.put(name, json);
        return name;
    }

    /** One key as listed by {@link #listKeys}. */
    public record KeyInfo(String id, boolean current, String created, String host, String user, String kdf) {
    }

    /** Every key of the repository; unreadable key files are listed with kdf "corrupted". */
    public List<KeyInfo> listKeys() throws IOException {
        List<KeyInfo> out = new ArrayList<>();
        for (ObjectInfo info : store.list(ObjectType.KEY)) {
            boolean current = info.name().equals(keyInUse);
            try {
                KeyFile kf = KeyFile.parse(store.get(info.name()), info.name().toString());
                String kdf = kf.kdf() == null ? "none"
                        : kf.kdf().algorithm() + " N=" + kf.kdf().n() + " r=" + kf.kdf().r() + " p=" + kf.kdf().p();
                out.add(new KeyInfo(info.name().id(), current, kf.created(), kf.host(), kf.user(), kdf));
            } catch (CorruptObjectException e) {
                out.add(new KeyInfo(info.name().id(), current, "", "", "", "corrupted"));
            }
        }
        out.sort(Comparator.comparing(KeyInfo::created).thenComparing(KeyInfo::id));
        return out;
    }

    /** Adds a key: the master key wrapped under another passphrase. Returns its id. */
    public String addKey(char[] passphrase, int kdfCost) throws IOException {
        if (!masterKey.encrypted()) {
            throw new RepositoryException(store.location() + " is not encrypted: it has no passphrases to add");
        }
        if (passphrase == null || passphrase.length == 0) {
            throw new RepositoryException("the new passphrase is empty");
        }
        return storeKey(store, masterKey, passphrase, kdfCost, clock).id();
    }

    /**
     * Removes a key by id or unique id prefix. The key this repository was opened with and the last key are
     * never removed.
     */
    public String removeKey(String idOrPrefix) throws IOException {
        ObjectName name = resolveKey(idOrPrefix);
        if (name.equals(keyInUse)) {
            throw new RepositoryException("key " + name.id().substring(0, 8)
                    + " is the one in use; open the repository with another passphrase to remove it");
        }
        store.delete(name);
        return name.id();
    }

    /** Replaces the key in use with one under a new passphrase. Returns the new key's id. */
    public String changePassphrase(char[] newPassphrase, int kdfCost) throws IOException {
        String id = addKey(newPassphrase, kdfCost);
        store.delete(keyInUse);
        return id;
    }

    private ObjectName resolveKey(String prefix) throws IOException {
        if (!prefix.matches("[0-9a-f]{1,64}")) {
            throw new RepositoryException("'" + prefix + "' is not a key id (hex digits)");
        }
        List<ObjectName> matches = new ArrayList<>();
        for (ObjectInfo info : store.list(ObjectType.KEY)) {
            if (info.name().id().startsWith(prefix)) {
                matches.add(info.name());
            }
        }
        if (matches.isEmpty()) {
            throw new RepositoryException("no key with id " + prefix + " in " + store.location());
        }
        if (matches.size() > 1) {
            throw new RepositoryException("key id prefix " + prefix + " is ambiguous (" + matches.size() + " keys)");
        }
        return matches.get(0);
    }

    public BlobStore store() {
        return store;
    }

    public RepositoryConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** The id of the key this repository was opened with. */
    public String keyId() {
        return keyInUse.id();
    }

    /** A codec for this repository's key and compression; one per thread. */
    public BlobCodec newCodec() {
        return masterKey.newCodec(config.compressionSetting());
    }

    /** A chunk-id hasher under this repository's id key; one per thread. */
    public ChunkIdHasher newIdHasher() {
        return masterKey.newIdHasher();
    }

    /** The chunker with this repository's parameters. */
    public FastCdc chunker() {
        return FastCdc.of(config.chunkerParams());
    }

    static String sha256Hex(byte[] bytes) {
        try {
            return BlobId.of(MessageDigest.getInstance("SHA-256").digest(bytes)).hex();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This machine's name, as recorded in keys, locks and snapshots. */
    public static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isEmpty()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
        }
        return h;
    }

    @Override
    public void close() throws IOException {
        store.close();
    }
}
