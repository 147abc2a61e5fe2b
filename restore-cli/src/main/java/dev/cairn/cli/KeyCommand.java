package dev.cairn.cli;

import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.store.codec.MasterKey;
import dev.cairn.store.repo.Repository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "key", description = "Manage the passphrases that open a repository.",
        subcommands = {KeyCommand.List.class, KeyCommand.Add.class, KeyCommand.Remove.class,
            KeyCommand.Passwd.class})
final class KeyCommand {
    @ParentCommand
    RootCommand root;

    /** Options for the new passphrase of add and passwd. */
    static final class NewPassphrase {
        @Option(names = "--new-password-file", paramLabel = "FILE",
                description = "Read the new passphrase from FILE (default: CAIRN_NEW_PASSWORD_FILE, then"
                        + " CAIRN_NEW_PASSWORD, then a prompt).")
        Path file;

        @Option(names = "--kdf-cost", defaultValue = "32768", hidden = true)
        int kdfCost = MasterKey.KdfParams.DEFAULT_N;

        char[] read(CliContext ctx) throws IOException {
            Path f = file != null ? file
                    : ctx.env().containsKey("CAIRN_NEW_PASSWORD_FILE") ? Path.of(ctx.env().get("CAIRN_NEW_PASSWORD_FILE"))
                    : null;
            if (f != null) {
                String line = Files.readString(f, StandardCharsets.UTF_8).lines().findFirst().orElse("");
                if (line.isEmpty()) {
                    throw new IOException("new password file " + f + " is empty");
                }
                return line.toCharArray();
            }
            String env = ctx.env().get("CAIRN_NEW_PASSWORD");
            if (env != null) {
                return env.toCharArray();
            }
            return RepositoryOptions.prompt("new passphrase");
        }
    }

    @Command(name = "list", description = "List the keys.")
    static final class List implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = key.root.ctx;
            try (Repository r = key.root.repo.open(ctx)) {
                java.util.List<Repository.KeyInfo> keys = r.listKeys();
                if (json) {
                    ctx.out().println(MetadataCodec.toJson(keys));
                } else {
                    ctx.out().printf(" %-10s  %-26s  %-16s  %-12s  %s%n", "id", "created", "host", "user", "kdf");
                    for (Repository.KeyInfo k : keys) {
                        ctx.out().printf("%s%-10s  %-26s  %-16s  %-12s  %s%n", k.current() ? "*" : " ",
                                k.id().substring(0, 10), k.created(), k.host(), k.user(), k.kdf());
                    }
                }
            }
            return Cairn.EXIT_OK;
        }
    }

    @Command(name = "add", description = "Add a passphrase that opens the repository.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Mixin
        NewPassphrase next;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = key.root.ctx;
            try (Repository r = key.root.repo.open(ctx)) {
                String id = r.addKey(next.read(ctx), next.kdfCost);
                ctx.out().println("added key " + id.substring(0, 10));
            }
            return Cairn.EXIT_OK;
        }
    }

    @Command(name = "remove", description = "Remove a key (not the one in use).")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Parameters(paramLabel = "ID", description = "Key id or unique prefix.")
        String id;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = key.root.ctx;
            try (Repository r = key.root.repo.open(ctx)) {
                ctx.out().println("removed key " + r.removeKey(id).substring(0, 10));
            }
            return Cairn.EXIT_OK;
        }
    }

    @Command(name = "passwd", description = "Change the passphrase of the key in use.")
    static final class Passwd implements Callable<Integer> {
        @ParentCommand
        KeyCommand key;

        @Mixin
        NewPassphrase next;

        @Override
        public Integer call() throws Exception {
            CliContext ctx = key.root.ctx;
            try (Repository r = key.root.repo.open(ctx)) {
                String id = r.changePassphrase(next.read(ctx), next.kdfCost);
                ctx.out().println("changed passphrase; new key " + id.substring(0, 10));
            }
            return Cairn.EXIT_OK;
        }
    }
}
