package dev.cairn.catalog.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A file name (or symlink target) as the bytes the filesystem holds, which need not be UTF-8. Ordered by
 * unsigned bytes, the order of entries in a tree.
 */
public final class FileName implements Comparable<FileName> {
    private final byte[] bytes;

    private FileName(byte[] bytes) {
        this.bytes = bytes;
    }

    @JsonCreator
    public static FileName of(byte[] bytes) {
        return new FileName(bytes.clone());
    }

    public static FileName of(String name) {
        return new FileName(name.getBytes(StandardCharsets.UTF_8));
    }

    @JsonValue
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The name for display and for paths on this system (decoded as UTF-8). */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileName f && Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(FileName o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }
}
