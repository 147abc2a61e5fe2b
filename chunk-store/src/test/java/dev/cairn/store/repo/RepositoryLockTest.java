package dev.cairn.store.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryLockTest {
    @TempDir
    Path dir;

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void sharedLocksCoexistAndExcludeExclusive() throws IOException {
        ManualClock clock = new ManualClock();
        Repository r = Repository.init(LocalDirectoryBlobStore.at(dir), RepositoryTest.FAST, RepositoryTest.PASS, clock);
        try (RepositoryLock a = RepositoryLock.shared(r); RepositoryLock b = RepositoryLock.shared(r)) {
            assertThat(r.store().list(ObjectType.LOCK)).hasSize(2);
            assertThatThrownBy(() -> RepositoryLock.exclusive(r)).isInstanceOf(RepositoryException.Locked.class)
                    .hasMessageContaining("is locked (shared) by pid " + ProcessHandle.current().pid());
            assertThat(r.store().list(ObjectType.LOCK)).hasSize(2);
        }
        assertThat(r.store().list(ObjectType.LOCK)).isEmpty();
        try (RepositoryLock x = RepositoryLock.exclusive(r)) {
            assertThat(x.isExclusive()).isTrue();
            assertThatThrownBy(() -> RepositoryLock.shared(r)).hasMessageContaining("locked exclusively");
        }
    }

    @Test
    void aLockTellsWhetherItFoundAStaleOne() throws IOException {
        ManualClock clock = new ManualClock();
        Repository r = Repository.init(LocalDirectoryBlobStore.at(dir), RepositoryTest.FAST, RepositoryTest.PASS, clock);
        RepositoryLock dead = RepositoryLock.shared(r); // a holder that stops refreshing, as a killed one does
        try (RepositoryLock live = RepositoryLock.shared(r)) {
            assertThat(live.staleLocksSeen()).as("another live shared lock").isFalse();
        }
        clock.now = clock.now.plus(RepositoryLock.STALE_AFTER).plusSeconds(1);
        try (RepositoryLock later = RepositoryLock.shared(r)) {
            assertThat(later.staleLocksSeen()).isTrue();
        }
        dead.close();
        try (RepositoryLock after = RepositoryLock.shared(r)) {
            assertThat(after.staleLocksSeen()).as("released").isFalse();
        }
    }

    @Test
    void staleLocksAreIgnoredAndRefreshKeepsALockAlive() throws IOException {
        ManualClock clock = new ManualClock();
        Repository r = Repository.init(LocalDirectoryBlobStore.at(dir), RepositoryTest.FAST, RepositoryTest.PASS, clock);
        RepositoryLock held = RepositoryLock.exclusive(r);
        clock.now = clock.now.plus(Duration.ofMinutes(20));
        held.refresh();
        assertThat(r.store().list(ObjectType.LOCK)).hasSize(1);
        clock.now = clock.now.plus(Duration.ofMinutes(20));
        assertThatThrownBy(() -> RepositoryLock.shared(r)).isInstanceOf(RepositoryException.Locked.class);
        clock.now = clock.now.plus(Duration.ofMinutes(11));
        try (RepositoryLock s = RepositoryLock.shared(r)) {
            assertThat(s.staleLocksSeen()).as("the unrefreshed exclusive lock").isTrue();
            assertThat(RepositoryLock.removeStale(r)).isEqualTo(1);
            assertThat(r.store().list(ObjectType.LOCK)).hasSize(1);
        }
        held.close();
    }
}
