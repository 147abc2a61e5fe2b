package dev.cairn.store.s3;

import dev.cairn.store.BlobStore;
import dev.cairn.store.NoSuchObjectException;
import dev.cairn.store.ObjectExistsException;
import dev.cairn.store.ObjectInfo;
import dev.cairn.store.ObjectName;
import dev.cairn.store.ObjectType;
import dev.cairn.store.Placement;
import dev.cairn.store.TransientStoreException;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A repository in an S3 bucket (or under a prefix of one), through the AWS SDK v2: AWS itself or any
 * S3-compatible store.
 *
 * <p>Keeps the {@link BlobStore} contract as S3 allows: a put is atomic (an object appears whole when its request
 * completes, and multipart uploads only on completion); a put never replaces an object: it is conditional
 * ({@code If-None-Match: *}) where the server supports it, and checks with a HEAD first where it does not (the
 * server's answer is remembered), which leaves a window between two writers of the same name (harmless for
 * content-named objects). Every put and every part carries its MD5 ({@code Content-MD5}), which the server
 * checks; a whole-object get is checked against the object's ETag when that is a plain MD5; ranged reads are
 * authenticated by the blobs' own encryption or checksums above this layer. Objects larger than twice the part size
 * go up as multipart uploads, aborted on failure.
 *
 * <p>The SDK's own retries are off: throttling, 5xx responses, dropped connections and timeouts become
 * {@link TransientStoreException}, which {@link dev.cairn.store.RetryingBlobStore} retries; access and bucket
 * errors are permanent. Connections are pooled and bounded ({@link S3Settings#maxConnections()}).
 */
public final class S3BlobStore implements BlobStore {
    private static final Pattern HEX_ID = Pattern.compile("[0-9a-f]{8,64}");

    /** Kinds of request, counted for reports and benchmarks. */
    public enum Request { PUT, PART, GET, HEAD, LIST, DELETE }

    private final S3Client s3;
    private final S3Settings settings;
    private final String root;
    private volatile boolean conditionalPuts = true;
    private final Map<Request, AtomicLong> requests = new EnumMap<>(Request.class);
    private final AtomicLong bytesUp = new AtomicLong();

    private S3BlobStore(S3Client s3, S3Settings settings) {
        this.s3 = s3;
        this.settings = settings;
        this.root = settings.prefix().isEmpty() ? "" : settings.prefix() + "/";
        for (Request r : Request.values()) {
            requests.put(r, new AtomicLong());
        }
    }

    /** Connects to the bucket named by {@code settings} (no request is made until the first operation). */
    public static S3BlobStore open(S3Settings settings) {
        return open(settings, Apache5HttpClient.builder().maxConnections(settings.maxConnections())
                .connectionTimeout(java.time.Duration.ofSeconds(10)).socketTimeout(settings.timeout()).build());
    }

    /** As {@link #open(S3Settings)}, over the given HTTP client (tests put a fault-injecting one here). */
    static S3BlobStore open(S3Settings settings, SdkHttpClient http) {
        var b = S3Client.builder()
                .httpClient(http)
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(credentials(settings))
                // Content-MD5 is sent by this class; the SDK's trailing checksums are not understood everywhere.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(settings.timeout()));
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        }
        return new S3BlobStore(b.build(), settings);
    }

    private static AwsCredentialsProvider credentials(S3Settings s) {
        if (s.accessKey() == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(s.sessionToken() == null
                ? AwsBasicCredentials.create(s.accessKey(), s.secretKey())
                : AwsSessionCredentials.create(s.accessKey(), s.secretKey(), s.sessionToken()));
    }

    /** Requests made so far, by kind. */
    public Map<Request, Long> requestCounts() {
        Map<Request, Long> out = new EnumMap<>(Request.class);
        requests.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    /** Bytes uploaded so far (object and part bodies). */
    public long bytesUploaded() {
        return bytesUp.get();
    }

    private String key(ObjectName name) {
        return root + name.path();
    }

    @Override
    public void put(ObjectName name, byte[] content) throws IOException {
        put(name, content, Placement.STANDARD);
    }

    @Override
    public void put(ObjectName name, byte[] content, Placement placement) throws IOException {
        put(name, content, content.length, placement);
    }

    @Override
    public void put(ObjectName name, byte[] content, int length, Placement placement) throws IOException {
        java.util.Objects.checkFromIndexSize(0, length, content.length);
        String storageClass = placement == Placement.BULK ? settings.storageClass() : null;
        if (!conditionalPuts && stat(name).isPresent()) {
            throw new ObjectExistsException(name);
        }
        if (length > 2L * settings.partSize()) {
            multipart(name, content, length, storageClass);
            return;
        }
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(settings.bucket()).key(key(name))
                .contentLength((long) length).contentMD5(md5Base64(content, 0, length));
        if (storageClass != null) {
            req.storageClass(storageClass);
        }
        if (conditionalPuts) {
            req.ifNoneMatch("*");
        }
        try {
            count(Request.PUT);
            s3.putObject(req.build(), body(content, 0, length));
            bytesUp.addAndGet(length);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectExistsException(name);
            }
            if (conditionalPuts && unsupportedCondition(e)) {
                conditionalPuts = false;
                put(name, content, length, placement);
                return;
            }
            throw translate("storing " + name, name, e);
        } catch (SdkException e) {
            throw translate("storing " + name, name, e);
        }
    }

    /** A server that rejects {@code If-None-Match} on a put instead of honouring it. */
    private static boolean unsupportedCondition(S3Exception e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == 501 || "NotImplemented".equals(code);
    }

    /** A request body over a slice of {@code content}, read in place (each attempt opens a new stream). */
    private static RequestBody body(byte[] content, int off, int len) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(content, off, len), len,
                "application/octet-stream");
    }

    private void multipart(ObjectName name, byte[] content, int length, String storageClass) throws IOException {
        String key = key(name);
        String upload;
        try {
            var create = software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest.builder()
                    .bucket(settings.bucket()).key(key);
            if (storageClass != null) {
                create.storageClass(storageClass);
            }
            count(Request.PUT);
            upload = s3.createMultipartUpload(create.build()).uploadId();
        } catch (SdkException e) {
            throw translate("storing " + name, name, e);
        }
        boolean done = false;
        try {
            List<CompletedPart> parts = new ArrayList<>();
            int part = 1;
            for (int off = 0; off < length; off += settings.partSize(), part++) {
                int len = Math.min(settings.partSize(), length - off);
                count(Request.PART);
                var resp = s3.uploadPart(software.amazon.awssdk.services.s3.model.UploadPartRequest.builder()
                        .bucket(settings.bucket()).key(key).uploadId(upload).partNumber(part)
                        .contentLength((long) len).contentMD5(md5Base64(content, off, len)).build(),
                        body(content, off, len));
                bytesUp.addAndGet(len);
                parts.add(CompletedPart.builder().partNumber(part).eTag(resp.eTag()).build());
            }
            var complete = software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest.builder()
                    .bucket(settings.bucket()).key(key).uploadId(upload)
                    .multipartUpload(m -> m.parts(parts));
            if (conditionalPuts) {
                complete.ifNoneMatch("*");
            }
            count(Request.PUT);
            s3.completeMultipartUpload(complete.build());
            done = true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ObjectExistsException(name);
            }
            throw translate("storing " + name, name, e);
        } catch (SdkException e) {
            throw translate("storing " + name, name, e);
        } finally {
            if (!done) {
                try {
                    s3.abortMultipartUpload(a -> a.bucket(settings.bucket()).key(key).uploadId(upload));
                } catch (SdkException ignored) {
                    // An upload left open holds no object; a bucket lifecycle rule can expire it.
                }
            }
        }
    }

    @Override
    public byte[] get(ObjectName name) throws IOException {
        ResponseBytes<GetObjectResponse> r;
        try {
            count(Request.GET);
            r = s3.getObjectAsBytes(g -> g.bucket(settings.bucket()).key(key(name)));
        } catch (SdkException e) {
            throw translate("reading " + name, name, e);
        }
        byte[] b = r.asByteArray();
        String etag = r.response().eTag() == null ? "" : r.response().eTag().replace("\"", "");
        if (etag.matches("[0-9a-f]{32}") && r.response().sseCustomerAlgorithm() == null
                && r.response().serverSideEncryption() != software.amazon.awssdk.services.s3.model
                        .ServerSideEncryption.AWS_KMS
                && !etag.equals(HexFormat.of().formatHex(md5(b, 0, b.length)))) {
            throw new TransientStoreException("reading " + name + ": the bytes received do not match the object's"
                    + " MD5", null);
        }
        return b;
    }

    @Override
    public byte[] get(ObjectName name, long offset, int length) throws IOException {
        if (length == 0) {
            ObjectInfo info = stat(name).orElseThrow(() -> new NoSuchObjectException(name));
            if (info.size() < offset) {
                throw new EOFException(name + " has " + info.size() + " bytes, not " + offset);
            }
            return new byte[0];
        }
        byte[] b;
        try {
            count(Request.GET);
            b = s3.getObjectAsBytes(g -> g.bucket(settings.bucket()).key(key(name))
                    .range("bytes=" + offset + "-" + (offset + length - 1))).asByteArray();
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                throw new EOFException(name + " ends before byte " + offset);
            }
            throw translate("reading " + name, name, e);
        } catch (SdkException e) {
            throw translate("reading " + name, name, e);
        }
        if (b.length < length) {
            throw new EOFException(name + " ends before byte " + (offset + length) + " (" + b.length
                    + " bytes from " + offset + ")");
        }
        if (b.length > length) {
            throw new TransientStoreException("reading " + name + ": the server sent " + b.length
                    + " bytes for a range of " + length, null);
        }
        return b;
    }

    @Override
    public Optional<ObjectInfo> stat(ObjectName name) throws IOException {
        try {
            count(Request.HEAD);
            HeadObjectResponse r = s3.headObject(h -> h.bucket(settings.bucket()).key(key(name)));
            return Optional.of(new ObjectInfo(name, r.contentLength()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 && !isNoSuchBucket(e)) {
                return Optional.empty();
            }
            throw translate("checking " + name, name, e);
        } catch (SdkException e) {
            throw translate("checking " + name, name, e);
        }
    }

    @Override
    public List<ObjectInfo> list(ObjectType type) throws IOException {
        if (type == ObjectType.CONFIG) {
            return stat(ObjectName.CONFIG).map(List::of).orElse(List.of());
        }
        String folder = root + type.folder() + "/";
        List<ObjectInfo> out = new ArrayList<>();
        try {
            for (var page : s3.listObjectsV2Paginator(l -> l.bucket(settings.bucket()).prefix(folder))) {
                count(Request.LIST);
                for (S3Object o : page.contents()) {
                    String rest = o.key().substring(folder.length());
                    String id = rest.substring(rest.lastIndexOf('/') + 1);
                    if (!HEX_ID.matcher(id).matches()) {
                        continue;
                    }
                    ObjectName n = ObjectName.of(type, id);
                    if (n.path().equals(type.folder() + "/" + rest)) {
                        out.add(new ObjectInfo(n, o.size()));
                    }
                }
            }
        } catch (SdkException e) {
            throw translate("listing " + location() + "/" + type.folder(), null, e);
        }
        return out;
    }

    @Override
    public void delete(ObjectName name) throws IOException {
        try {
            count(Request.DELETE);
            s3.deleteObject(d -> d.bucket(settings.bucket()).key(key(name)));
        } catch (NoSuchKeyException gone) {
            // deletion is idempotent
        } catch (SdkException e) {
            throw translate("deleting " + name, name, e);
        }
    }

    @Override
    public String location() {
        return settings.location();
    }

    @Override
    public void close() {
        s3.close();
    }

    private void count(Request r) {
        requests.get(r).incrementAndGet();
    }

    private static boolean isNoSuchBucket(S3Exception e) {
        return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
    }

    /** One exception for a failed request: missing, transient (retry), or permanent with a message that says why. */
    private IOException translate(String what, ObjectName name, SdkException e) {
        if (e instanceof NoSuchKeyException && name != null) {
            return new NoSuchObjectException(name);
        }
        if (e instanceof S3Exception s) {
            int status = s.statusCode();
            String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
            String detail = (code != null ? code : "HTTP " + status)
                    + (s.awsErrorDetails() != null && s.awsErrorDetails().errorMessage() != null
                            ? " (" + s.awsErrorDetails().errorMessage() + ")" : "");
            if (isNoSuchBucket(s)) {
                return new IOException("bucket " + settings.bucket() + " does not exist at "
                        + (settings.endpoint() == null ? "AWS " + settings.region() : settings.endpoint()), e);
            }
            if (status == 404 && name != null) {
                return new NoSuchObjectException(name);
            }
            if (status == 403 || status == 401) {
                return new IOException(what + " in " + location() + ": access denied: " + detail
                        + " (check the credentials and the bucket policy)", e);
            }
            if (status == 429 || status >= 500 || status == 408 || "SlowDown".equals(code)
                    || "RequestTimeout".equals(code) || "ConditionalRequestConflict".equals(code)) {
                return new TransientStoreException(what + ": " + detail, e);
            }
            return new IOException(what + " in " + location() + ": " + detail, e);
        }
        if (e instanceof SdkClientException) {
            // Connection refused or reset, timeouts, truncated bodies: the request may succeed again.
            return new TransientStoreException(what + ": " + firstLine(e), e);
        }
        return new IOException(what + ": " + firstLine(e), e);
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static byte[] md5(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("MD5");
            md.update(b, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every JDK", e);
        }
    }

    private static String md5Base64(byte[] b, int off, int len) {
        return Base64.getEncoder().encodeToString(md5(b, off, len));
    }
}
