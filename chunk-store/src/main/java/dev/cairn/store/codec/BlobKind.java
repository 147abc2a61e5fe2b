package dev.cairn.store.codec;

/**
 * What a sealed blob is; its code goes into the associated data, so a blob cannot be passed off as another
 * kind (a tree as data, an index as a snapshot).
 */
public enum BlobKind {
    DATA(0),
    TREE(1),
    PACK_HEADER(2),
    INDEX(3),
    SNAPSHOT(4),
    LOCK(5),
    KEY(6);

    private final int code;

    BlobKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
