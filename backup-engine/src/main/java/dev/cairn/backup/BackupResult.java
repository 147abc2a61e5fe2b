package dev.cairn.backup;

import dev.cairn.catalog.model.BackupSummary;
import java.util.List;

/**
 * The outcome of a backup: the snapshot id, its summary and the warnings (files that could not be read). The
 * exit code is {@link #EXIT_OK} or, with warnings, {@link #EXIT_PARTIAL}.
 */
public record BackupResult(String snapshotId, String parentId, BackupSummary summary, List<String> warnings) {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_PARTIAL = 3;

    public int exitCode() {
        return warnings.isEmpty() ? EXIT_OK : EXIT_PARTIAL;
    }
}
