package dev.cairn.store.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 server for tests: S3Proxy with its filesystem backend on 127.0.0.1 and a random port, with AWS
 * signature checking on. One per test (class instance); {@link #stop} and {@link #start} on the same port let a
 * test take the server away in the middle of a run.
 */
public final class S3TestServer implements AutoCloseable {
    public static final String ACCESS_KEY = "cairn-test-access";
    public static final String SECRET_KEY = "cairn-test-secret";

    private final Path dir;
    private S3Proxy proxy;
    private int port;

    public S3TestServer(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        start(0);
    }

    private void start(int wanted) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:" + wanted))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
            }
            Thread.onSpinWait();
        }
        port = proxy.getPort();
    }

    /** Starts the server again on the port it had. */
    public void restart() throws Exception {
        start(port);
    }

    /** Stops the server: requests now fail with a refused connection. */
    public void stop() throws Exception {
        proxy.stop();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** Creates a bucket through the S3 API. */
    public void createBucket(String bucket) {
        try (S3Client c = S3Client.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY,
                        SECRET_KEY)))
                .build()) {
            c.createBucket(b -> b.bucket(bucket));
        }
    }

    /** Settings for {@code s3://bucket/prefix} on this server. */
    public S3Settings settings(String bucket, String prefix) {
        return S3Settings.parse("s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix), endpoint(), "us-east-1",
                true, env());
    }

    /** The environment a cairn process needs for this server's credentials. */
    public Map<String, String> env() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY, "AWS_REGION", "us-east-1");
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
