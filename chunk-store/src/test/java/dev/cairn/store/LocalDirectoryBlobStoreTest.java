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
