package dev.cairn.store.s3;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where an S3 repository lives and how to talk to it. {@code location} is {@code s3://BUCKET[/PREFIX]};
 * {@code endpoint} is empty for AWS and the server's URL for any other S3-compatible store (MinIO, Ceph RGW, ...),
 * which usually also wants {@code pathStyle}. Credentials come from the AWS SDK's default chain (environment,
 * profiles, instance roles) unless {@code accessKey} is given; they are never stored in the repository, and
 * {@link #toString} does not show them. {@code storageClass} applies to packs of file content only.
 */
public record S3Settings(String bucket, String prefix, URI endpoint, String region, boolean pathStyle,
        String storageClass, int maxConnections, int partSize, Duration timeout, String accessKey, String secretKey,
        String sessionToken) {

    /** Storage classes whose objects can be read at once (no restore request). */
    public static final List<String> READABLE_CLASSES = List.of("STANDARD", "STANDARD_IA", "ONEZONE_IA",
            "INTELLIGENT_TIERING", "GLACIER_IR", "REDUCED_REDUNDANCY");

    public S3Settings {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("'" + bucket + "' is not an S3 bucket name (3 to 63 of a-z, 0-9, '.'"
                    + " and '-')");
        }
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        if (region == null || region.isBlank()) {
            region = "us-east-1";
        }
        if (storageClass != null) {
            storageClass = storageClass.toUpperCase(Locale.ROOT);
            if (!READABLE_CLASSES.contains(storageClass)) {
                throw new IllegalArgumentException("storage class " + storageClass + " is not one cairn can read"
                        + " back without a restore request; use one of " + String.join(", ", READABLE_CLASSES));
            }
        }
        if (maxConnections < 1 || maxConnections > 1024) {
            throw new IllegalArgumentException("S3 connections must be between 1 and 1024, not " + maxConnections);
        }
        if (partSize < 5 << 20) {
            throw new IllegalArgumentException("S3 part size must be at least 5 MiB, not " + partSize + " bytes");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("S3 timeout must be positive, not " + timeout);
        }
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("an S3 access key needs its secret key, and the other way round");
        }
    }

    /**
     * Settings for {@code s3://BUCKET[/PREFIX]} with the defaults: AWS (or {@code endpoint}), 16 connections,
     * 16 MiB parts, 60 s timeout, credentials from the environment map when it holds {@code AWS_ACCESS_KEY_ID}
     * and {@code AWS_SECRET_ACCESS_KEY}, else from the SDK's default chain.
     */
    public static S3Settings parse(String location, URI endpoint, String region, boolean pathStyle,
            Map<String, String> env) {
        if (!location.startsWith("s3://")) {
            throw new IllegalArgumentException("'" + location + "' is not an S3 location (s3://BUCKET/PREFIX)");
        }
        String rest = location.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        String reg = region != null ? region : env.getOrDefault("AWS_REGION", env.get("AWS_DEFAULT_REGION"));
        return new S3Settings(bucket, prefix, endpoint, reg, pathStyle, null, 16, 16 << 20, Duration.ofSeconds(60),
                env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY"), env.get("AWS_SESSION_TOKEN"));
    }

    public S3Settings withStorageClass(String c) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, c, maxConnections, partSize, timeout,
                accessKey, secretKey, sessionToken);
    }

    public S3Settings withMaxConnections(int n) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, storageClass, n, partSize, timeout,
                accessKey, secretKey, sessionToken);
    }

    public S3Settings withPartSize(int bytes) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, storageClass, maxConnections, bytes,
                timeout, accessKey, secretKey, sessionToken);
    }

    public S3Settings withTimeout(Duration t) {
        return new S3Settings(bucket, prefix, endpoint, region, pathStyle, storageClass, maxConnections, partSize, t,
                accessKey, secretKey, sessionToken);
    }

    /** {@code s3://bucket/prefix}, as messages name the repository. */
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
    }

    @Override
    public String toString() {
        return location() + (endpoint == null ? "" : " at " + endpoint) + " (" + region + ")";
    }
}
