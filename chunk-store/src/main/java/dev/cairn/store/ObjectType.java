package dev.cairn.store;

/** The kinds of object in a repository, each with the folder (or file) it lives under. */
public enum ObjectType {
    /** The single {@code config} object: format version, repository id, chunker and codec parameters. */
    CONFIG("config"),
    /** {@code keys/<id>}: the master keys, each wrapped under one passphrase. */
    KEY("keys"),
    /** {@code data/<2 hex>/<pack id>}: packs of encrypted blobs. */
    DATA("data"),
    /** {@code index/<id>}: which blob lives in which pack. */
    INDEX("index"),
    /** {@code snapshots/<id>}: snapshot manifests. */
    SNAPSHOT("snapshots"),
    /** {@code locks/<id>}: shared and exclusive lock objects. */
    LOCK("locks");

    private final String folder;

    ObjectType(String folder) {
        this.folder = folder;
    }

    /** The folder (or, for {@link #CONFIG}, the file name) under the repository root. */
    public String folder() {
        return folder;
    }
}
