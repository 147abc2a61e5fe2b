/**
 * Repositories in S3 buckets: {@link dev.cairn.store.s3.S3BlobStore} keeps the {@link dev.cairn.store.BlobStore}
 * contract over the AWS SDK v2 (conditional puts, Content-MD5 on every request body, multipart uploads, ranged
 * reads, paginated listings) and turns the SDK's failures into missing objects, transient failures (retried by
 * {@link dev.cairn.store.RetryingBlobStore}) and permanent ones with a message that says what to fix;
 * {@link dev.cairn.store.s3.S3Settings} names the bucket, prefix, endpoint and limits. No AWS type leaves this
 * package.
 */
package dev.cairn.store.s3;
