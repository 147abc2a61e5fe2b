package dev.cairn.store.repo;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.NoSuchObjectException;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.BlobCodec;
import dev.cairn.store.codec.BlobKind;
import dev.cairn.store.pack.SealedObjects;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

/**
 * A lock object under {@code locks/}. Backups take shared locks, which coexist; prune takes an exclusive lock,
 * which excludes every other lock. Taking a lock writes it first and then looks for conflicting locks, so two
 * racing takers both see each other and neither proceeds wrongly; on conflict the new lock is removed and
 * {@link RepositoryException.Locked} names the holder.
 *
 * <p>Lock objects are immutable like every object: {@link #refresh} writes a new one and deletes the old. A lock
 * whose last refresh is older than {@link #STALE_AFTER}, or whose process is gone on this host, is stale and
 * ignored (and may be removed with {@link #removeStale}). A holder refreshes well within that time.
 */
public final class RepositoryLock implements AutoCloseable {
    /** A lock not refreshed for this long is stale. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(30);
    /** How often a holder should refresh. */
    public static final Duration REFRESH_EVERY = Duration.ofMinutes(5);

    private final Repository repo;
    private final boolean exclusive;
    private final Instant created;
    private ObjectName name;
    private boolean staleSeen;

    @JsonPropertyOrder({"exclusive", "host", "pid", "user", "created", "refreshed"})
    record Doc(@JsonProperty("exclusive") boolean exclusive, @JsonProperty("host") String host,
            @JsonProperty("pid") long pid, @JsonProperty("user") String user,
            @JsonProperty("created") String created, @JsonProperty("refreshed") String refreshed) {
    }

    private RepositoryLock(Repository repo, boolean exclusive, Instant created) {
        this.repo = repo;
        this.exclusive = exclusive;
        this.created = created;
    }

    /** Takes a shared lock (for backups and reads that must not see a prune). */
    public static RepositoryLock shared(Repository repo) throws IOException {
        return acquire(repo, false);
    }

    /** Takes an exclusive lock (for prune and other destructive work). */
    public static RepositoryLock exclusive(Repository repo) throws IOException {
        return acquire(repo, true);
    }

    private static RepositoryLock acquire(Repository repo, boolean exclusive) throws IOException {
        RepositoryLock lock = new RepositoryLock(repo, exclusive, repo.clock().instant());
        lock.name = lock.write();
        try (BlobCodec codec = repo.newCodec()) {
            for (ObjectInfo other : repo.store().list(ObjectType.LOCK)) {
                if (other.name().equals(lock.name)) {
                    continue;
                }
                Doc d;
                try {
                    d = read(repo, codec, other.name());
                } catch (NoSuchObjectException released) {
                    continue;
                } catch (CorruptObjectException unreadable) {
                    continue;
                }
                boolean stale = isStale(repo, d);
                lock.staleSeen |= stale;
                if ((exclusive || d.exclusive()) && !stale) {
                    repo.store().delete(lock.name);
                    throw new RepositoryException.Locked(repo.store().location() + " is locked "
                            + (d.exclusive() ? "exclusively" : "(shared)") + " by pid " + d.pid() + " on " + d.host()
                            + " since " + d.created() + " (lock " + other.name().id().substring(0, 8) + ")");
                }
            }
        }
        return lock;
    }

    private ObjectName write() throws IOException {
        Doc d = new Doc(exclusive, Repository.hostName(), ProcessHandle.current().pid(),
                System.getProperty("user.name", ""), created.toString(), repo.clock().instant().toString());
        try (BlobCodec codec = repo.newCodec()) {
            return SealedObjects.save(repo.store(), codec, ObjectType.LOCK, BlobKind.LOCK,
                    Json.MAPPER.writeValueAsBytes(d));
        }
    }

    private static Doc read(Repository repo, BlobCodec codec, ObjectName name) throws IOException {
        byte[] raw = SealedObjects.load(repo.store(), codec, name, BlobKind.LOCK);
        try {
            return Json.MAPPER.readValue(raw, Doc.class);
        } catch (IOException e) {
            throw new CorruptObjectException(name.toString(), "not a lock");
        }
    }

    static boolean isStale(Repository repo, Doc d) {
        Instant refreshed;
        try {
            refreshed = Instant.parse(d.refreshed());
        } catch (RuntimeException e) {
            return true;
        }
        if (refreshed.plus(STALE_AFTER).isBefore(repo.clock().instant())) {
            return true;
        }
        return d.host().equals(Repository.hostName()) && ProcessHandle.of(d.pid()).isEmpty();
    }

    /**
     * Whether a stale lock was there when this one was taken: the mark of a process that ended (killed, or its host
     * lost) without releasing it, and so perhaps of a backup whose last packs have no index file.
     */
    public boolean staleLocksSeen() {
        return staleSeen;
    }

    /** Removes every stale lock; returns how many. */
    public static int removeStale(Repository repo) throws IOException {
        int n = 0;
        try (BlobCodec codec = repo.newCodec()) {
            for (ObjectInfo info : repo.store().list(ObjectType.LOCK)) {
                try {
                    if (isStale(repo, read(repo, codec, info.name()))) {
                        repo.store().delete(info.name());
                        n++;
                    }
                } catch (NoSuchObjectException gone) {
                    // released meanwhile
                }
            }
        }
        return n;
    }

    /** Writes a fresh copy of this lock and deletes the old one. */
    public synchronized void refresh() throws IOException {
        ObjectName old = name;
        name = write();
        if (!old.equals(name)) {
            repo.store().delete(old);
        }
    }

    public boolean isExclusive() {
        return exclusive;
    }

    /** The lock object's current name. */
    public synchronized ObjectName name() {
        return name;
    }

    /** Releases the lock. */
    @Override
    public synchronized void close() throws IOException {
        if (name != null) {
            repo.store().delete(name);
            name = null;
        }
    }
}
