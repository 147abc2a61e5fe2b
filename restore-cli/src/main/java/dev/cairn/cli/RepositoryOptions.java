package dev.cairn.cli;

import dev.cairn.store.BlobStore;
import dev.cairn.store.LocalDirectoryBlobStore;
import dev.cairn.store.RetryingBlobStore;
import dev.cairn.store.s3.S3BlobStore;
import dev.cairn.store.s3.S3Settings;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Where the repository is and how its passphrase is found. Declared once on the root command and inherited by
 * every subcommand, so {@code cairn -r DIR snapshots} and {@code cairn snapshots -r DIR} both work.
 */
final class RepositoryOptions {
    @Option(names = {"-r", "--repo"}, scope = ScopeType.INHERIT, paramLabel = "DIR|URL",
            description = "Repository: a directory, or s3://BUCKET/PREFIX (default: CAIRN_REPOSITORY).")
    String repo;

    @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Read the passphrase from the first line of FILE (default: CAIRN_PASSWORD_FILE).")
    Path passwordFile;

    @Option(names = "--password-command", scope = ScopeType.INHERIT, paramLabel = "CMD",
            description = "Run CMD with sh -c and use the first line it prints (default: CAIRN_PASSWORD_COMMAND).")
    String passwordCommand;

    @Option(names = "--s3-endpoint", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "S3-compatible server for s3:// repositories (default: AWS_ENDPOINT_URL_S3 or"
                    + " AWS_ENDPOINT_URL, else AWS).")
    java.net.URI s3Endpoint;

    @Option(names = "--s3-region", scope = ScopeType.INHERIT, paramLabel = "REGION",
            description = "S3 region (default: AWS_REGION, else us-east-1).")
    String s3Region;

    @Option(names = "--s3-path-style", scope = ScopeType.INHERIT,
            description = "Address buckets as http://host/bucket (most S3-compatible servers want this).")
    boolean s3PathStyle;

    @Option(names = "--s3-storage-class", scope = ScopeType.INHERIT, paramLabel = "CLASS",
            description = "Storage class for packs of file content, e.g. STANDARD_IA or GLACIER_IR; everything"
                    + " else stays STANDARD.")
    String s3StorageClass;

    @Option(names = "--s3-connections", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "Most S3 connections at once (default: 16).")
    Integer s3Connections;

    @Option(names = "--upload-limit", scope = ScopeType.INHERIT, paramLabel = "MB/s",
            description = "Upload to the repository at most this fast (megabytes per second).")
    Double uploadLimit;

    @Option(names = "--cache-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where the local catalog lives (default: CAIRN_CACHE_DIR, else $XDG_CACHE_HOME/cairn or"
                    + " ~/.cache/cairn). Safe to delete: it is rebuilt from the repository.")
    Path cacheDir;

    /** The catalog directory for {@code repo}. */
    Path catalogDirectory(CliContext ctx, Repository repo) {
        if (cacheDir != null) {
            return cacheDir.resolve(repo.config().id()).resolve("catalog");
        }
        return dev.cairn.catalog.CatalogSync.defaultDirectory(ctx.env(), repo.config().id());
    }

    /** The repository's catalog, brought up to date with it (rebuilt if missing, foreign or stale). */
    dev.cairn.catalog.Catalog syncedCatalog(CliContext ctx, Repository repo) throws IOException {
        return dev.cairn.catalog.CatalogSync.openAndSync(catalogDirectory(ctx, repo), repo).catalog();
    }

    /** Megabytes per second as bytes per second; a positive number or a one-line error naming the flag. */
    static long megabytes(double mbPerSecond, String flag) {
        if (!(mbPerSecond > 0) || mbPerSecond > 1e6) {
            throw new IllegalArgumentException(flag + " takes megabytes per second above 0, not " + mbPerSecond);
        }
        return (long) (mbPerSecond * 1_000_000);
    }

    BlobStore store(CliContext ctx) {
        BlobStore s = location(ctx);
        return uploadLimit == null ? s : dev.cairn.store.ThrottledBlobStore.wrap(s,
                dev.cairn.store.RateLimiter.of(megabytes(uploadLimit, "--upload-limit")));
    }

    private BlobStore location(CliContext ctx) {
        String location = repo != null ? repo : ctx.env().get("CAIRN_REPOSITORY");
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("no repository given: use --repo DIR or set CAIRN_REPOSITORY");
        }
        if (location.startsWith("s3:")) {
            java.net.URI endpoint = s3Endpoint;
            if (endpoint == null) {
                String e = ctx.env().getOrDefault("AWS_ENDPOINT_URL_S3", ctx.env().get("AWS_ENDPOINT_URL"));
                endpoint = e == null || e.isBlank() ? null : java.net.URI.create(e);
            }
            boolean pathStyle = s3PathStyle || "true".equalsIgnoreCase(ctx.env().get("CAIRN_S3_PATH_STYLE"));
            S3Settings settings = S3Settings.parse(location, endpoint, s3Region, pathStyle, ctx.env())
                    .withStorageClass(s3StorageClass);
            if (s3Connections != null) {
                settings = settings.withMaxConnections(s3Connections);
            }
            return RetryingBlobStore.wrap(S3BlobStore.open(settings), RetryingBlobStore.Policy.DEFAULT);
        }
        if (location.startsWith("file:")) {
            location = location.substring(5);
        }
        return LocalDirectoryBlobStore.at(Path.of(location));
    }

    Repository open(CliContext ctx) throws IOException {
        BlobStore store = store(ctx);
        try {
            if (!Repository.readConfig(store).encrypted()) {
                return Repository.open(store, null, Clock.systemUTC());
            }
            return Repository.open(store, passphrase(ctx, "passphrase for " + store.location()), Clock.systemUTC());
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The passphrase, from the first source that is set. */
    char[] passphrase(CliContext ctx, String prompt) throws IOException {
        Path file = passwordFile != null ? passwordFile
                : ctx.env().containsKey("CAIRN_PASSWORD_FILE") ? Path.of(ctx.env().get("CAIRN_PASSWORD_FILE")) : null;
        String command = passwordCommand != null ? passwordCommand : ctx.env().get("CAIRN_PASSWORD_COMMAND");
        if (passwordFile == null && passwordCommand != null) {
            file = null;
        }
        if (file != null) {
            return firstLine(Files.readString(file, StandardCharsets.UTF_8), "password file " + file);
        }
        if (command != null) {
            return fromCommand(command);
        }
        String env = ctx.env().get("CAIRN_PASSWORD");
        if (env != null) {
            return env.toCharArray();
        }
        return prompt(prompt);
    }

    static char[] prompt(String prompt) throws IOException {
        java.io.Console c = System.console();
        if (c == null) {
            throw new IOException("no passphrase: set CAIRN_PASSWORD, CAIRN_PASSWORD_FILE or CAIRN_PASSWORD_COMMAND,"
                    + " or use --password-file (no terminal to ask on)");
        }
        char[] p = c.readPassword("%s: ", prompt);
        if (p == null) {
            throw new IOException("no passphrase entered");
        }
        return p;
    }

    private static char[] firstLine(String text, String what) throws IOException {
        String line = text.lines().findFirst().orElse("");
        if (line.isEmpty()) {
            throw new IOException(what + " is empty");
        }
        return line.toCharArray();
    }

    private static char[] fromCommand(String command) throws IOException {
        Process p = new ProcessBuilder("sh", "-c", command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("password command did not finish within 60 s: " + command);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running the password command", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("password command exited with " + p.exitValue() + ": " + command);
        }
        return firstLine(out, "output of the password command");
    }
}
