package dev.cairn.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.HexFormat;

/** A 32-byte identifier: a chunk id (keyed SHA-256 of the content) or a pack or object id (SHA-256). */
public final class BlobId implements Comparable<BlobId> {
    /** Length of every id in bytes. */
    public static final int LENGTH = 32;

    private final byte[] bytes;
    private final int hash;

    private BlobId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    /** Wraps a copy of {@code bytes}, which must be 32 bytes long. */
    @JsonCreator
    public static BlobId of(byte[] bytes) {
        return of(bytes, 0);
    }

    /** Wraps a copy of 32 bytes of {@code bytes} from {@code offset}. */
    public static BlobId of(byte[] bytes, int offset) {
        if (bytes.length - offset < LENGTH) {
            throw new IllegalArgumentException("an id is " + LENGTH + " bytes, got " + (bytes.length - offset));
        }
        return new BlobId(Arrays.copyOfRange(bytes, offset, offset + LENGTH));
    }

    /** Parses 64 hex digits. */
    public static BlobId parse(String hex) {
        if (hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("an id is 64 hex digits: '" + hex + "'");
        }
        return new BlobId(HexFormat.of().parseHex(hex));
    }

    /** A copy of the id's bytes. */
    @JsonValue
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Copies the id into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH);
    }

    /** Whether the 32 bytes of {@code b} from {@code offset} are this id. */
    public boolean equalsBytes(byte[] b, int offset) {
        return Arrays.equals(bytes, 0, LENGTH, b, offset, offset + LENGTH);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    /** The first 8 hex digits, as shown to people. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobId other && hash == other.hash && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public int compareTo(BlobId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
