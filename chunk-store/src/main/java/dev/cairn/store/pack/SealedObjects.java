package dev.cairn.store.pack;

import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.ObjectExistsException;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import java.io.IOException;
import java.util.Arrays;

/**
 * Whole objects (index files, snapshots, locks) sealed as one blob and named by the SHA-256 of their sealed
 * bytes, so a damaged object is caught by its name before its content is even decrypted.
 */
public final class SealedObjects {
    private SealedObjects() {
    }

    /** A sealed object and the name its bytes give it, not yet stored. */
    public record Sealed(ObjectName name, byte[] bytes) {
    }

    /** Seals {@code raw} and stores it; returns its name. Storing identical bytes twice is harmless. */
    public static ObjectName save(BlobStore store, BlobCodec codec, ObjectType type, BlobKind kind, byte[] raw)
            throws IOException {
        return store(store, seal(codec, type, kind, raw));
    }

    /** Seals {@code raw} as an object of {@code type}, named by the SHA-256 of the sealed bytes. */
    public static Sealed seal(BlobCodec codec, ObjectType type, BlobKind kind, byte[] raw) {
        byte[] sealed = codec.seal(kind, null, raw);
        return new Sealed(ObjectName.of(type, BlobId.of(PackWriter.sha256(sealed)).hex()), sealed);
    }

    /** Stores a sealed object (no codec needed); returns its name. Storing identical bytes twice is harmless. */
    public static ObjectName store(BlobStore store, Sealed sealed) throws IOException {
        try {
            store.put(sealed.name(), sealed.bytes());
        } catch (ObjectExistsException same) {
            // Named by content: the stored object holds these bytes already.
        }
        return sealed.name();
    }

    /** Loads, checks against its name and opens an object stored by {@link #save}. */
    public static byte[] load(BlobStore store, BlobCodec codec, ObjectName name, BlobKind kind) throws IOException {
        byte[] sealed = store.get(name);
        if (!Arrays.equals(PackWriter.sha256(sealed), BlobId.parse(name.id()).bytes())) {
            throw new CorruptObjectException(name.toString(), "content does not match its name");
        }
        return codec.open(kind, null, sealed, name.toString());
    }

    /** Reads one blob from its pack with a ranged read and opens it. */
    public static byte[] loadBlob(BlobStore store, BlobCodec codec, IndexEntry entry) throws IOException {
        PackedBlob b = entry.blob();
        ObjectName pack = ObjectName.of(ObjectType.DATA, entry.pack().hex());
        byte[] sealed = store.get(pack, b.offset(), b.length());
        String what = b.type().name().toLowerCase(java.util.Locale.ROOT) + " blob " + b.id().shortHex() + " in " + pack;
        byte[] raw = codec.open(b.type().kind(), b.id(), sealed, what);
        if (raw.length != b.rawLength()) {
            throw new CorruptObjectException(what, raw.length + " bytes, the index says " + b.rawLength());
        }
        return raw;
    }
}
