package dev.cairn.restore;

import java.util.List;

/**
 * What a restore did: regular files written and kept (unchanged, under the overwrite policy), other entries
 * created (directories, links, special files), bytes of file content written, entries deleted ({@code --delete}),
 * files verified, and what it could not do. {@code warnings} are metadata it had no right to set and the like;
 * {@code errors} are files whose content does not match the snapshot ({@code --verify}).
 */
public record RestoreResult(long files, long unchanged, long dirs, long others, long bytes, long deleted,
        long verified, List<String> warnings, List<String> errors) {
    public RestoreResult {
        warnings = List.copyOf(warnings);
        errors = List.copyOf(errors);
    }
}
