package dev.cairn.store.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.codec.Compression;
import java.io.IOException;

/**
 * The {@code config} object: what a program needs to know before it can read anything else. Stored as plain
 * JSON (it holds no secret: the id key that chunk ids depend on lives in the wrapped master key).
 */
@JsonPropertyOrder({"format", "version", "id", "chunker", "compression", "encryption", "pack_size"})
public record RepositoryConfig(
        @JsonProperty("format") String format,
        @JsonProperty("version") int version,
        @JsonProperty("id") String id,
        @JsonProperty("chunker") Chunker chunker,
        @JsonProperty("compression") String compression,
        @JsonProperty("encryption") String encryption,
        @JsonProperty("pack_size") int packSize) {

    /** The value of {@code format} in every cairn repository. */
    public static final String FORMAT = "cairn-repository";
    /** The newest format version this build reads and writes. */
    public static final int VERSION = 1;
    /** Encryption names. */
    public static final String AES_256_GCM = "aes-256-gcm";
    public static final String NONE = "none";
    /** Default target pack size: 16 MiB. */
    public static final int DEFAULT_PACK_SIZE = 16 * 1024 * 1024;

    /** Chunker parameters as stored. */
    @JsonPropertyOrder({"algorithm", "min", "avg", "max", "normalization"})
    public record Chunker(@JsonProperty("algorithm") String algorithm, @JsonProperty("min") int min,
            @JsonProperty("avg") int avg, @JsonProperty("max") int max,
            @JsonProperty("normalization") int normalization) {
        static Chunker of(ChunkerParams p) {
            return new Chunker("fastcdc-2020", p.minSize(), p.avgSize(), p.maxSize(), p.normalization());
        }
    }

    public ChunkerParams chunkerParams() {
        return ChunkerParams.of(chunker.min(), chunker.avg(), chunker.max(), chunker.normalization());
    }

    public Compression compressionSetting() {
        return Compression.parse(compression);
    }

    public boolean encrypted() {
        return AES_256_GCM.equals(encryption);
    }

    static RepositoryConfig create(String id, ChunkerParams chunker, Compression compression, boolean encrypted,
            int packSize) {
        return new RepositoryConfig(FORMAT, VERSION, id, Chunker.of(chunker), compression.toString(),
                encrypted ? AES_256_GCM : NONE, packSize);
    }

    byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses and validates a stored config.
     *
     * @throws RepositoryException if it is some other program's file or of a newer version
     * @throws CorruptObjectException if it does not parse or holds invalid values
     */
    static RepositoryConfig parse(byte[] json, String location) throws IOException {
        RepositoryConfig c;
        try {
            c = Json.MAPPER.readValue(json, RepositoryConfig.class);
        } catch (IOException e) {
            if (!new String(json, java.nio.charset.StandardCharsets.ISO_8859_1).contains(FORMAT)) {
                throw new RepositoryException(location + " is not a cairn repository (its config is some other"
                        + " program's)");
            }
            throw new CorruptObjectException(location + "/config", "not valid cairn config JSON ("
                    + firstLine(e.getMessage()) + ")");
        }
        if (!FORMAT.equals(c.format())) {
            throw new RepositoryException(location + " is not a cairn repository (config format is '" + c.format()
                    + "')");
        }
        if (c.version() > VERSION) {
            throw new RepositoryException(location + " has repository format version " + c.version()
                    + ", newer than this cairn reads (" + VERSION + "); upgrade cairn");
        }
        if (c.version() < 1 || c.id() == null || !c.id().matches("[0-9a-f]{64}") || c.chunker() == null
                || !"fastcdc-2020".equals(c.chunker().algorithm())
                || !(AES_256_GCM.equals(c.encryption()) || NONE.equals(c.encryption())) || c.packSize() < 1024) {
            throw new CorruptObjectException(location + "/config", "invalid values");
        }
        try {
            c.chunkerParams();
            c.compressionSetting();
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(location + "/config", e.getMessage());
        }
        return c;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
