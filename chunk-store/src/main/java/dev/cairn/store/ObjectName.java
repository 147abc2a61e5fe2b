package dev.cairn.store;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of one repository object: its type and its id (lower-case hex, usually the SHA-256 of the stored
 * bytes). The config object's id is always {@code config}.
 */
public record ObjectName(ObjectType type, String id) {
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{8,64}");

    /** The one config object. */
    public static final ObjectName CONFIG = new ObjectName(ObjectType.CONFIG, "config");

    public ObjectName {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
        if (type == ObjectType.CONFIG) {
            if (!id.equals("config")) {
                throw new IllegalArgumentException("the config object is named 'config', not '" + id + "'");
            }
        } else if (!HEX_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("object id must be 8 to 64 lower-case hex digits: '" + id + "'");
        }
    }

    /** Names an object of {@code type} with the hex {@code id}. */
    public static ObjectName of(ObjectType type, String id) {
        return new ObjectName(type, id);
    }

    /** The object's path relative to the repository root, with {@code /} separators. */
    public String path() {
        return switch (type) {
            case CONFIG -> "config";
            case DATA -> "data/" + id.substring(0, 2) + "/" + id;
            default -> type.folder() + "/" + id;
        };
    }

    @Override
    public String toString() {
        return path();
    }
}
