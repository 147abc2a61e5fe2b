package dev.cairn.store;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The storage contract of a repository: named, immutable objects of bytes.
 *
 * <p>Every implementation (local directory, S3, and every decorator) keeps these promises, and every one runs
 * the same contract test suite:
 * <ul>
 *   <li><b>Write once.</b> {@link #put} creates an object that never changes afterwards. A second put under a
 *       name that exists fails with {@link ObjectExistsException} and leaves the stored object as it was.
 *       Objects are named by the hash of their content, so a caller that gets that exception for a content
 *       name already holds the same bytes in the store.</li>
 *   <li><b>Atomic.</b> A reader sees an object whole or not at all. A crash during {@code put} never leaves a
 *       partial object under its final name; at most some temporary debris that no listing returns.</li>
 *   <li><b>Durable on return.</b> When {@code put} returns, the object survives a crash of this process and,
 *       as far as the medium promises, of the machine.</li>
 *   <li><b>Missing objects.</b> {@link #get} of a missing name throws {@link NoSuchObjectException};
 *       {@link #stat} returns empty; {@link #delete} of a missing name succeeds (deletion is idempotent).</li>
 *   <li><b>Listing</b> returns every object of a type that existed for the whole listing, in no particular
 *       order; objects created or deleted during the listing may or may not appear.</li>
 *   <li>Implementations are safe for concurrent use by many threads.</li>
 * </ul>
 */
public interface BlobStore extends Closeable {

    /**
     * Stores {@code content} under {@code name}.
     *
     * @throws ObjectExistsException if an object of that name exists; it is left unchanged
     * @throws IOException on any other failure; then no object of that name was created by this call
     */
    void put(ObjectName name, byte[] content) throws IOException;

    /**
     * Stores {@code content} under {@code name}, as {@link #put(ObjectName, byte[])}, with a hint of where the
     * object may be kept. Stores without storage classes ignore it.
     */
    default void put(ObjectName name, byte[] content, Placement placement) throws IOException {
        put(name, content);
    }

    /**
     * Stores the first {@code length} bytes of {@code content}, as {@link #put(ObjectName, byte[], Placement)}: a
     * pack assembled in a reused buffer is stored without a copy of it. The caller does not change those bytes
     * until this returns. The default copies them; stores that can write a prefix override it.
     */
    default void put(ObjectName name, byte[] content, int length, Placement placement) throws IOException {
        java.util.Objects.checkFromIndexSize(0, length, content.length);
        put(name, length == content.length ? content : java.util.Arrays.copyOf(content, length), placement);
    }

    /** Reads a whole object. @throws NoSuchObjectException if it does not exist */
    byte[] get(ObjectName name) throws IOException;

    /**
     * Reads {@code length} bytes starting at {@code offset}.
     *
     * @throws NoSuchObjectException if the object does not exist
     * @throws java.io.EOFException if the object ends before {@code offset + length}
     */
    byte[] get(ObjectName name, long offset, int length) throws IOException;

    /** The object's size, or empty when it does not exist. */
    Optional<ObjectInfo> stat(ObjectName name) throws IOException;

    /** Every object of {@code type}. */
    List<ObjectInfo> list(ObjectType type) throws IOException;

    /** Removes the object; succeeds when it does not exist. */
    void delete(ObjectName name) throws IOException;

    /** A short description for messages, such as the directory or bucket URL. */
    String location();

    @Override
    default void close() throws IOException {
    }
}
