package dev.cairn.restore;

import dev.cairn.backup.BackupOptions;
import dev.cairn.backup.Excludes;
import java.util.List;

/**
 * How a restore runs. {@code include} and {@code exclude} are glob patterns over paths inside the snapshot
 * ({@code /data/src/**}, or a bare name such as {@code *.log} that matches anywhere); an included directory brings
 * its whole subtree, and the directories leading to an included entry are created. {@code delete} removes entries
 * of the target that the snapshot does not hold (only inside what is restored); {@code verify} rereads every
 * restored file and checks it against its chunk ids; {@code dryRun} plans and reports without touching the target.
 */
public record RestoreOptions(List<String> include, List<String> exclude, Overwrite overwrite, boolean delete,
        boolean verify, boolean dryRun, int threads) {

    public RestoreOptions {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        Excludes.matcher(include);
        Excludes.matcher(exclude);
        if (overwrite == null) {
            throw new IllegalArgumentException("an overwrite policy is needed");
        }
        if (threads < 1 || threads > 256) {
            throw new IllegalArgumentException("--threads must be between 1 and 256, not " + threads);
        }
    }

    /** Everything, overwriting what changed, on the default number of threads. */
    public static RestoreOptions defaults() {
        return new RestoreOptions(List.of(), List.of(), Overwrite.IF_CHANGED, false, false, false,
                BackupOptions.defaultThreads());
    }

    public RestoreOptions withFilters(List<String> in, List<String> out) {
        return new RestoreOptions(in, out, overwrite, delete, verify, dryRun, threads);
    }

    public RestoreOptions withOverwrite(Overwrite o) {
        return new RestoreOptions(include, exclude, o, delete, verify, dryRun, threads);
    }

    public RestoreOptions withDelete(boolean d) {
        return new RestoreOptions(include, exclude, overwrite, d, verify, dryRun, threads);
    }

    public RestoreOptions withVerify(boolean v) {
        return new RestoreOptions(include, exclude, overwrite, delete, v, dryRun, threads);
    }

    public RestoreOptions withDryRun(boolean d) {
        return new RestoreOptions(include, exclude, overwrite, delete, verify, d, threads);
    }

    public RestoreOptions withThreads(int t) {
        return new RestoreOptions(include, exclude, overwrite, delete, verify, dryRun, t);
    }
}
