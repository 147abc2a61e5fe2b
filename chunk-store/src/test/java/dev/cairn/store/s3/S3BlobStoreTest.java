package dev.cairn.store.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.BlobStore;
import dev.cairn.store.BlobStoreContract;
import dev.cairn.store.ObjectExistsException;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.Placement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@link BlobStore} contract against a real S3 server (S3Proxy on loopback), plus what is S3's own. */
class S3BlobStoreTest extends BlobStoreContract {
    @TempDir
    Path tmp;

    S3TestServer server;
    int stores;

    /** Starts this test's server on first use (the contract's {@code @BeforeEach} runs before this class's). */
    @Override
    protected BlobStore newStore() throws IOException {
        try {
            if (server == null) {
                server = new S3TestServer(tmp.resolve("s3"));
            }
            String bucket = "cairn-test-" + (++stores);
            server.createBucket(bucket);
            return S3BlobStore.open(server.settings(bucket, "repos/one").withPartSize(5 << 20));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void largeObjectsGoUpInPartsAndComeBackWhole() throws IOException {
        byte[] big = new byte[(11 << 20) + 12345];
        new Random(4).nextBytes(big);
        ObjectName n = ObjectName.of(ObjectType.DATA, "ab".repeat(32));
        store.put(n, big, Placement.BULK);
        S3BlobStore s3 = (S3BlobStore) store;
        assertThat(s3.requestCounts().get(S3BlobStore.Request.PART)).isEqualTo(3);
        assertThat(store.get(n)).isEqualTo(big);
        assertThat(store.get(n, 6 << 20, 100)).isEqualTo(java.util.Arrays.copyOfRange(big, 6 << 20, (6 << 20) + 100));
        assertThatThrownBy(() -> store.put(n, big)).isInstanceOf(ObjectExistsException.class);
        assertThat(store.list(ObjectType.DATA)).singleElement()
                .satisfies(i -> assertThat(i.size()).isEqualTo(big.length));
    }

    @Test
    void aPrefixGoesUpInPartsWithoutTheRestOfTheBuffer() throws IOException {
        byte[] buffer = new byte[(12 << 20)];
        new Random(5).nextBytes(buffer);
        int length = (10 << 20) + 777;
        ObjectName n = ObjectName.of(ObjectType.DATA, "cd".repeat(32));
        store.put(n, buffer, length, Placement.BULK);
        assertThat(((S3BlobStore) store).requestCounts().get(S3BlobStore.Request.PART)).isEqualTo(3);
        assertThat(store.get(n)).isEqualTo(java.util.Arrays.copyOf(buffer, length));
    }

    @Test
    void objectsLiveUnderThePrefix() throws Exception {
        store.put(ObjectName.CONFIG, new byte[] {1});
        BlobStore other = S3BlobStore.open(server.settings("cairn-test-" + stores, "repos/two"));
        assertThat(other.stat(ObjectName.CONFIG)).isEmpty();
        assertThat(other.list(ObjectType.CONFIG)).isEmpty();
        other.put(ObjectName.CONFIG, new byte[] {2});
        assertThat(store.get(ObjectName.CONFIG)).containsExactly(1);
        other.close();
    }

    @Test
    void aMissingBucketAndWrongCredentialsAreNamed() throws Exception {
        BlobStore missing = S3BlobStore.open(server.settings("no-such-bucket", ""));
        assertThatThrownBy(() -> missing.list(ObjectType.SNAPSHOT)).isInstanceOf(IOException.class)
                .hasMessageContaining("bucket no-such-bucket does not exist");
        S3Settings s = server.settings("cairn-test-" + stores, "");
        BlobStore wrong = S3BlobStore.open(new S3Settings(s.bucket(), s.prefix(), s.endpoint(), s.region(), true, null,
                4, 8 << 20, s.timeout(), S3TestServer.ACCESS_KEY, "not-the-secret", null));
        assertThatThrownBy(() -> wrong.get(ObjectName.CONFIG)).isInstanceOf(IOException.class)
                .hasMessageContaining("access denied");
        missing.close();
        wrong.close();
    }

    @Test
    void settingsRejectBadValues() {
        assertThatThrownBy(() -> S3Settings.parse("s3://Bad_Bucket/x", null, null, false, java.util.Map.of()))
                .hasMessageContaining("'Bad_Bucket' is not an S3 bucket name");
        assertThatThrownBy(() -> server().settings("cairn-test-1", "").withStorageClass("GLACIER"))
                .hasMessageContaining("storage class GLACIER is not one cairn can read back");
        assertThat(S3Settings.parse("s3://bucket/a/b/", null, null, false, java.util.Map.of()).location())
                .isEqualTo("s3://bucket/a/b");
        assertThat(S3Settings.parse("s3://bucket/p", null, null, false,
                java.util.Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "very-secret")).toString())
                .doesNotContain("very-secret");
    }

    S3TestServer server() {
        return server;
    }
}
