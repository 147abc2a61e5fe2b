package dev.cairn.catalog.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Arrays;

/** One extended attribute (user namespace): name and value bytes. */
@JsonPropertyOrder({"n", "v"})
public record Xattr(@JsonProperty("n") String name, @JsonProperty("v") byte[] value) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Xattr x && name.equals(x.name) && Arrays.equals(value, x.value);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + value.length + " bytes";
    }
}
