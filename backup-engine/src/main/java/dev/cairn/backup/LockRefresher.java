package dev.cairn.backup;

import dev.cairn.store.repo.RepositoryLock;
import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Refreshes a lock in the background while a long run (backup, prune) holds it. */
public final class LockRefresher implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cairn-lock-refresh");
        t.setDaemon(true);
        return t;
    });

    public LockRefresher(RepositoryLock lock) {
        long every = RepositoryLock.REFRESH_EVERY.toSeconds();
        timer.scheduleAtFixedRate(() -> {
            try {
                lock.refresh();
            } catch (IOException e) {
                // The next refresh tries again; a lock not refreshed for STALE_AFTER is treated as stale.
            }
        }, every, every, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
