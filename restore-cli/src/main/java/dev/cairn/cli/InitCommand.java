package dev.cairn.cli;

import dev.cairn.store.BlobStore;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.codec.Compression;
import dev.cairn.store.repo.Repository;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "init", description = "Create a new repository.",
        footer = {"", "Example:", "  CAIRN_PASSWORD_FILE=~/.cairn-pass cairn init --repo /mnt/backup/repo"})
final class InitCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Option(names = "--insecure-no-encryption",
            description = "Store blobs unencrypted (checksummed only). For trusted targets and benchmarks.")
    boolean noEncryption;

    @Option(names = "--compression", defaultValue = "auto", paramLabel = "off|auto|LEVEL",
            description = "zstd level 1..22, auto (level 3) or off. Default: ${DEFAULT-VALUE}.")
    String compression;

    @Option(names = "--chunk-min", defaultValue = "524288", description = "Minimum chunk size in bytes.")
    int chunkMin;

    @Option(names = "--chunk-avg", defaultValue = "1048576", description = "Average chunk size in bytes.")
    int chunkAvg;

    @Option(names = "--chunk-max", defaultValue = "8388608", description = "Maximum chunk size in bytes.")
    int chunkMax;

    @Option(names = "--pack-size", defaultValue = "16777216", description = "Target pack size in bytes.")
    int packSize;

    @Option(names = "--kdf-cost", defaultValue = "32768", hidden = true,
            description = "scrypt N (a power of two); lower only for tests.")
    int kdfCost;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        Repository.InitOptions opts = Repository.InitOptions.defaults()
                .withChunker(ChunkerParams.of(chunkMin, chunkAvg, chunkMax, 1))
                .withCompression(Compression.parse(compression))
                .withEncryption(!noEncryption)
                .withPackSize(packSize)
                .withKdfCost(kdfCost);
        BlobStore store = root.repo.store(ctx);
        char[] pass = null;
        if (noEncryption) {
            ctx.err().println("cairn: WARNING: --insecure-no-encryption: blobs are stored in plain form; anyone who"
                    + " can read " + store.location() + " can read your data");
        } else {
            pass = root.repo.passphrase(ctx, "new passphrase for " + store.location());
        }
        try (Repository r = Repository.init(store, opts, pass, Clock.systemUTC())) {
            ctx.out().println("created repository " + r.config().id().substring(0, 10) + " at " + store.location()
                    + (noEncryption ? " (UNENCRYPTED)" : ""));
        }
        return Cairn.EXIT_OK;
    }
}
