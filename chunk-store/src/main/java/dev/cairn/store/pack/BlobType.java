package dev.cairn.store.pack;

import dev.cairn.store.codec.BlobKind;

/** The two kinds of blob kept in packs; each goes to packs of its own. */
public enum BlobType {
    /** File content chunks. */
    DATA(0, BlobKind.DATA),
    /** Directory listings. */
    TREE(1, BlobKind.TREE);

    private final int code;
    private final BlobKind kind;

    BlobType(int code, BlobKind kind) {
        this.code = code;
        this.kind = kind;
    }

    public int code() {
        return code;
    }

    public BlobKind kind() {
        return kind;
    }

    /** The type with {@code code}, or null. */
    public static BlobType ofCode(int code) {
        return switch (code) {
            case 0 -> DATA;
            case 1 -> TREE;
            default -> null;
        };
    }
}
