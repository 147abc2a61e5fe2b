package dev.cairn.restore;

import java.util.List;

/** What a restore wrote, and what it could not restore (metadata it had no right to set, for instance). */
public record RestoreResult(long files, long dirs, long bytes, List<String> warnings) {
}
