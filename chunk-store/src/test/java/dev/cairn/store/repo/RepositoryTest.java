package dev.cairn.store.repo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.BlobStore;
import dev.cairn.store.CorruptObjectException;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.codec.Compression;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryTest {
    static final Repository.InitOptions FAST = Repository.InitOptions.defaults().withKdfCost(1 << 10);
    static final char[] PASS = "s3cret passphrase".toCharArray();
    static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path dir;

    BlobStore store() {
        return LocalDirectoryBlobStore.at(dir.resolve("repo"));
    }

    @Test
    void initThenOpen() throws IOException {
        Repository r = Repository.init(store(), FAST, PASS, CLOCK);
        assertThat(dir.resolve("repo/config")).isRegularFile();
        assertThat(r.config().encrypted()).isTrue();
        assertThat(r.config().packSize()).isEqualTo(16 << 20);
        assertThat(r.config().chunker().min()).isEqualTo(512 * 1024);
        Repository again = Repository.open(store(), PASS, CLOCK);
        assertThat(again.config()).isEqualTo(r.config());
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(again.newIdHasher().id(data, 0, 3)).isEqualTo(r.newIdHasher().id(data, 0, 3));
        assertThat(again.keyId()).isEqualTo(r.keyId());
    }

    @Test
    void initRefusesAnExistingRepositoryAndAnEmptyPassphrase() throws IOException {
        Repository.init(store(), FAST, PASS, CLOCK);
        assertThatThrownBy(() -> Repository.init(store(), FAST, PASS, CLOCK))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("holds a repository already");
        assertThatThrownBy(() -> Repository.init(LocalDirectoryBlobStore.at(dir.resolve("other")), FAST,
                new char[0], CLOCK)).hasMessageContaining("non-empty passphrase");
    }

    @Test
    void wrongPassphraseIsOneLine() throws IOException {
        Repository.init(store(), FAST, PASS, CLOCK);
        assertThatThrownBy(() -> Repository.open(store(), "nope".toCharArray(), CLOCK))
                .isInstanceOf(RepositoryException.WrongPassphrase.class)
                .hasMessageStartingWith("wrong passphrase").hasMessageNotContaining("\n");
    }

    @Test
    void missingForeignNewerAndCorruptRepositories() throws IOException {
        assertThatThrownBy(() -> Repository.open(store(), PASS, CLOCK))
                .isInstanceOf(RepositoryException.class).hasMessageContaining("no cairn repository at");
        Repository.init(store(), FAST, PASS, CLOCK);
        Path config = dir.resolve("repo/config");
        String json = Files.readString(config);

        Files.writeString(config, json.replace("\"version\" : 1", "\"version\" : 2"));
        assertThatThrownBy(() -> Repository.open(store(), PASS, CLOCK))
                .hasMessageContaining("format version 2, newer than this cairn reads (1)");

        Files.writeString(config, json.replace("cairn-repository", "restic"));
        assertThatThrownBy(() -> Repository.open(store(), PASS, CLOCK))
                .hasMessageContaining("is not a cairn repository");

        Files.writeString(config, json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> Repository.open(store(), PASS, CLOCK))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining("config is corrupted")
                .hasMessageNotContaining("\n");

        Files.writeString(config, json);
        ObjectInfo key = store().list(ObjectType.KEY).get(0);
        Path keyFile = dir.resolve("repo").resolve(key.name().path());
        byte[] k = Files.readAllBytes(keyFile);
        Files.write(keyFile, java.util.Arrays.copyOf(k, k.length - 20));
        assertThatThrownBy(() -> Repository.open(store(), PASS, CLOCK))
                .isInstanceOf(CorruptObjectException.class).hasMessageContaining(key.name().toString());
    }

    @Test
    void keysCanBeAddedListedRemovedAndChanged() throws IOException {
        Repository r = Repository.init(store(), FAST, PASS, CLOCK);
        String second = r.addKey("second".toCharArray(), 1 << 10);
        assertThat(r.listKeys()).hasSize(2);
        assertThat(r.listKeys().stream().filter(Repository.KeyInfo::current).map(Repository.KeyInfo::id))
                .containsExactly(r.keyId());
        Repository viaSecond = Repository.open(store(), "second".toCharArray(), CLOCK);
        assertThat(viaSecond.keyId()).isEqualTo(second);
        assertThatThrownBy(() -> viaSecond.removeKey(second.substring(0, 6)))
                .hasMessageContaining("is the one in use");
        viaSecond.removeKey(r.keyId().substring(0, 10));
        assertThatThrownBy(() -> Repository.open(store(), PASS, CLOCK))
                .isInstanceOf(RepositoryException.WrongPassphrase.class);
        String third = viaSecond.changePassphrase("third".toCharArray(), 1 << 10);
        assertThat(viaSecond.listKeys()).extracting(Repository.KeyInfo::id).containsExactly(third);
        assertThat(Repository.open(store(), "third".toCharArray(), CLOCK).keyId()).isEqualTo(third);
        assertThatThrownBy(() -> viaSecond.removeKey("zz")).hasMessageContaining("not a key id");
        assertThatThrownBy(() -> viaSecond.removeKey("0000000")).hasMessageContaining("no key with id");
    }

    @Test
    void unencryptedRepositoriesOpenWithoutPassphrase() throws IOException {
        Repository r = Repository.init(store(), FAST.withEncryption(false).withCompression(Compression.OFF), null,
                CLOCK);
        assertThat(r.config().encryption()).isEqualTo("none");
        Repository again = Repository.open(store(), null, CLOCK);
        assertThat(again.newCodec().encrypted()).isFalse();
        assertThatThrownBy(() -> again.addKey("x".toCharArray(), 1 << 10)).hasMessageContaining("not encrypted");
    }

    @Test
    void encryptedRepositoryWithoutPassphraseSaysSo() throws IOException {
        Repository.init(store(), FAST, PASS, CLOCK);
        assertThatThrownBy(() -> Repository.open(store(), null, CLOCK)).hasMessageContaining("a passphrase is needed");
    }

    @Test
    void configIsNamedConfig() {
        assertThat(ObjectName.CONFIG.path()).isEqualTo("config");
        assertThatThrownBy(() -> ObjectName.of(ObjectType.INDEX, "../x")).hasMessageContaining("hex");
    }
}
