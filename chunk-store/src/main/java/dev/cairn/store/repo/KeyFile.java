package dev.cairn.store.repo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.codec.MasterKey;
import java.io.IOException;

/**
 * A {@code keys/<id>} object as JSON: who created it and when, the KDF and its parameters, and the master key
 * wrapped under the derived key (base64). In an unencrypted repository {@code kdf} is null and {@code data}
 * holds the id key in plain form.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"version", "created", "host", "user", "kdf", "data"})
public record KeyFile(
        @JsonProperty("version") int version,
        @JsonProperty("created") String created,
        @JsonProperty("host") String host,
        @JsonProperty("user") String user,
        @JsonProperty("kdf") Kdf kdf,
        @JsonProperty("data") byte[] data) {

    static final int VERSION = 1;

    /** scrypt parameters with their salt. */
    @JsonPropertyOrder({"algorithm", "n", "r", "p", "salt"})
    public record Kdf(@JsonProperty("algorithm") String algorithm, @JsonProperty("n") int n,
            @JsonProperty("r") int r, @JsonProperty("p") int p, @JsonProperty("salt") byte[] salt) {
        MasterKey.KdfParams params() {
            return new MasterKey.KdfParams(algorithm, n, r, p, salt);
        }

        static Kdf of(MasterKey.KdfParams k) {
            return new Kdf(k.algorithm(), k.n(), k.r(), k.p(), k.salt());
        }
    }

    byte[] toJson() {
        try {
            return Json.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyFile parse(byte[] json, String what) throws CorruptObjectException {
        KeyFile k;
        try {
            k = Json.MAPPER.readValue(json, KeyFile.class);
        } catch (IOException e) {
            throw new CorruptObjectException(what, "not a key file (" + RepositoryConfig.firstLine(e.getMessage()) + ")");
        }
        if (k.version() != VERSION || k.data() == null) {
            throw new CorruptObjectException(what, "key file version " + k.version() + " or data missing");
        }
        if (k.kdf() != null) {
            try {
                k.kdf().params();
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CorruptObjectException(what, "bad KDF parameters: " + e.getMessage());
            }
        }
        return k;
    }
}
