package dev.cairn.catalog.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cairn.store.CorruptObjectException;
import java.io.IOException;

/**
 * Encodes trees and snapshots as CBOR (schema in {@code docs/FORMAT.md}), and renders them as JSON for people.
 * Encoding is deterministic: fields in a fixed order, tree entries sorted, absent fields omitted.
 */
public final class MetadataCodec {
    private static final ObjectMapper CBOR = configure(new CBORMapper(new CBORFactory()));
    private static final ObjectMapper JSON = configure(JsonMapper.builder().build())
            .enable(SerializationFeature.INDENT_OUTPUT);

    private MetadataCodec() {
    }

    private static ObjectMapper configure(ObjectMapper m) {
        return m.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** The canonical CBOR of a tree (see {@link TreeCodec}). */
    public static byte[] encodeTree(Tree tree) {
        return TreeCodec.encode(tree);
    }

    public static Tree decodeTree(byte[] bytes, String what) throws CorruptObjectException {
        return TreeCodec.decode(bytes, what);
    }

    public static byte[] encodeSnapshot(Snapshot s) {
        return write(s);
    }

    public static Snapshot decodeSnapshot(byte[] bytes, String what) throws CorruptObjectException {
        Snapshot s = read(bytes, Snapshot.class, what);
        if (s.version() > Snapshot.VERSION) {
            throw new CorruptObjectException(what, "snapshot format " + s.version() + " is newer than this cairn reads");
        }
        return s;
    }

    /** Any model value as indented JSON, for {@code --json} output and {@code cat}. */
    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any model value as JSON on one line (for output with one object per line). */
    public static String toJsonLine(Object value) {
        try {
            return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Any model value as a JSON-shaped map (for merging into command output). */
    @SuppressWarnings("unchecked")
    public static java.util.Map<String, Object> toMap(Object value) {
        return JSON.convertValue(value, java.util.LinkedHashMap.class);
    }

    private static byte[] write(Object o) {
        try {
            return CBOR.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException("CBOR encoding failed", e);
        }
    }

    private static <T> T read(byte[] bytes, Class<T> type, String what) throws CorruptObjectException {
        try {
            return CBOR.readValue(bytes, type);
        } catch (IOException | RuntimeException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().split("\n")[0];
            throw new CorruptObjectException(what, "does not decode as a " + type.getSimpleName().toLowerCase() + " ("
                    + m + ")", e);
        }
    }
}
