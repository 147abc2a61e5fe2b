package dev.cairn.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "cairn", mixinStandardHelpOptions = true, version = "cairn 0.1.0",
        description = "Near-storage incremental backup: chunk, deduplicate, compress, encrypt, pack, restore.",
        footer = {"", "Repository: --repo DIR or CAIRN_REPOSITORY.",
            "Passphrase: --password-file, --password-command, CAIRN_PASSWORD_FILE,",
            "  CAIRN_PASSWORD_COMMAND or CAIRN_PASSWORD, else a prompt on a terminal.",
            "Exit codes: 0 ok, 1 failed, 2 bad usage, 3 finished with warnings."})
final class RootCommand implements Runnable {
    /**
     * The subcommands, in the order help lists them. Registered by {@link Cairn#run} rather than in the annotation:
     * picocli builds a command's model by reflection when it is registered, and building all of them cost every
     * command 0.05 s of wall time and 0.14 s of CPU (empty backup and {@code snapshots}, six alternating runs).
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(InitCommand.class, KeyCommand.class, BackupCommand.class,
            RestoreCommand.class, SnapshotsCommand.class, LsCommand.class, FindCommand.class, DiffCommand.class,
            StatsCommand.class, CatCommand.class, DumpCommand.class, ForgetCommand.class, PruneCommand.class,
            CheckCommand.class, DaemonCommand.class, CatalogCommand.class, DebugCommand.class);

    final CliContext ctx;

    @Spec
    CommandSpec spec;

    @Mixin
    RepositoryOptions repo;

    RootCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is needed, such as init, backup or restore");
    }
}
