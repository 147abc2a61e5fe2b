package dev.cairn.store.pack;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import dev.cairn.store.BlobId;
import dev.cairn.store.BlobStore;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An index file: for each pack it covers, the blobs in it with offset, sealed length and raw length. Encoded
 * as CBOR (schema in {@code docs/FORMAT.md}), then sealed as a whole object under {@code index/}.
 */
public final class IndexFile {
    static final int VERSION = 1;
    private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

    private IndexFile() {
    }

    record Blob(@JsonProperty("t") int type, @JsonProperty("id") byte[] id, @JsonProperty("o") long offset,
            @JsonProperty("l") int length, @JsonProperty("r") int rawLength) {
    }

    record Pack(@JsonProperty("id") byte[] id, @JsonProperty("blobs") List<Blob> blobs) {
    }

    record Doc(@JsonProperty("v") int version, @JsonProperty("packs") List<Pack> packs) {
    }

    /**
     * Encodes the entries (grouped by pack, in the order given), streaming them to the CBOR generator: the same
     * bytes as serializing {@link Doc}, without an object per entry (an index file covers 100,000 small blobs).
     */
    public static byte[] encode(List<IndexEntry> entries) {
        Map<BlobId, List<PackedBlob>> byPack = new LinkedHashMap<>();
        for (IndexEntry e : entries) {
            byPack.computeIfAbsent(e.pack(), k -> new ArrayList<>()).add(e.blob());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + entries.size() * 64);
        byte[] id = new byte[BlobId.LENGTH];
        try (JsonGenerator g = CBOR.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeFieldName("packs");
            g.writeStartArray(byPack, byPack.size());
            for (Map.Entry<BlobId, List<PackedBlob>> p : byPack.entrySet()) {
                g.writeStartObject();
                p.getKey().copyTo(id, 0);
                g.writeFieldName("id");
                g.writeBinary(id);
                g.writeFieldName("blobs");
                g.writeStartArray(p.getValue(), p.getValue().size());
                for (PackedBlob b : p.getValue()) {
                    g.writeStartObject();
                    g.writeNumberField("t", b.type().code());
                    b.id().copyTo(id, 0);
                    g.writeFieldName("id");
                    g.writeBinary(id);
                    g.writeNumberField("o", b.offset());
                    g.writeNumberField("l", b.length());
                    g.writeNumberField("r", b.rawLength());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("CBOR encoding failed", e);
        }
        return out.toByteArray();
    }

    /** Decodes an index file's plaintext. */
    public static List<IndexEntry> decode(byte[] raw, String what) throws CorruptObjectException {
        Doc doc;
        try {
            doc = CBOR.readValue(raw, Doc.class);
        } catch (IOException e) {
            throw new CorruptObjectException(what, "not an index file: " + e.getMessage(), e);
        }
        if (doc.version() != VERSION) {
            throw new CorruptObjectException(what, "index version " + doc.version() + " is not " + VERSION);
        }
        List<IndexEntry> out = new ArrayList<>();
        try {
            for (Pack p : doc.packs()) {
                BlobId pack = BlobId.of(p.id());
                for (Blob b : p.blobs()) {
                    BlobType type = BlobType.ofCode(b.type());
                    if (type == null) {
                        throw new CorruptObjectException(what, "unknown blob type " + b.type());
                    }
                    out.add(new IndexEntry(pack, new PackedBlob(type, BlobId.of(b.id()), b.offset(), b.length(),
                            b.rawLength())));
                }
            }
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new CorruptObjectException(what, "malformed index entry", e);
        }
        return out;
    }

    /** Seals and stores an index file covering {@code entries}. */
    public static ObjectName save(BlobStore store, BlobCodec codec, List<IndexEntry> entries) throws IOException {
        return SealedObjects.store(store, seal(codec, entries));
    }

    /** Seals an index file covering {@code entries}, to store with {@link SealedObjects#store}. */
    public static SealedObjects.Sealed seal(BlobCodec codec, List<IndexEntry> entries) {
        return SealedObjects.seal(codec, ObjectType.INDEX, BlobKind.INDEX, encode(entries));
    }

    /** Loads and decodes one stored index file. */
    public static List<IndexEntry> load(BlobStore store, BlobCodec codec, ObjectName name) throws IOException {
        return decode(SealedObjects.load(store, codec, name, BlobKind.INDEX), name.toString());
    }
}
