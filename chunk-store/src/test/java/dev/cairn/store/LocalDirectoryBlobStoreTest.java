package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalDirectoryBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() {
        return LocalDirectoryBlobStore.at(dir.resolve("repo"));
    }

    @Test
    void layoutFollowsTheRepositoryFormat() throws IOException {
        store.put(data(1), new byte[1]);
        store.put(ObjectName.of(ObjectType.SNAPSHOT, "0011223344556677"), new byte[1]);
        String id = data(1).id();
        assertThat(dir.resolve("repo/data/" + id.substring(0, 2) + "/" + id)).isRegularFile();
        assertThat(dir.resolve("repo/snapshots/0011223344556677")).isRegularFile();
    }

    @Test
    void packSizedObjectsWrittenPastThePageCacheReadBackWholeAndInRanges() throws IOException {
        java.util.Random random = new java.util.Random(3);
        int min = LocalDirectoryBlobStore.DIRECT_WRITE_MIN;
        int n = 0;
        for (int size : new int[] {min - 1, min, 5 * 1024 * 1024 + 123}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            ObjectName name = data(100 + n++);
            store.put(name, content);
            assertThat(store.get(name)).isEqualTo(content);
            assertThat(store.get(name, size - 1000, 1000))
                    .isEqualTo(java.util.Arrays.copyOfRange(content, size - 1000, size));
            assertThat(store.stat(name)).get().extracting(ObjectInfo::size).isEqualTo((long) size);
        }
        assertThat(dir.resolve("repo/tmp")).isEmptyDirectory();
    }

    @Test
    void aFailedPutNamesTheRepositoryTheObjectAndTheReason() throws IOException {
        // The repository's tmp/ is a file: no object can be written, whatever the user.
        Files.createDirectories(dir.resolve("repo"));
        Files.writeString(dir.resolve("repo/tmp"), "not a directory");
        for (int size : new int[] {10, LocalDirectoryBlobStore.DIRECT_WRITE_MIN}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.put(data(7), new byte[size]))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith(dir.resolve("repo") + ": cannot store " + data(7).path() + ": ")
                    .hasMessageNotContaining("null");
        }
        assertThat(store.stat(data(7))).isEmpty();
    }

    @Test
    void leftoversOfInterruptedPutsAreInvisible() throws IOException {
        Path tmp = dir.resolve("repo/tmp");
        Files.createDirectories(tmp);
        Files.write(tmp.resolve(data(2).id() + ".deadbeef"), new byte[10]);
        Files.createDirectories(dir.resolve("repo/data/aa"));
        Files.write(dir.resolve("repo/data/aa/not-an-object.tmp"), new byte[10]);
        assertThat(store.list(ObjectType.DATA)).isEmpty();
        assertThat(store.stat(data(2))).isEmpty();
        ((LocalDirectoryBlobStore) store).removeTemporaryFiles();
        assertThat(tmp).isEmptyDirectory();
    }
}
