/**
 * The {@code cairn} command line (picocli). Every subcommand lives here; picocli types appear nowhere else.
 * Errors are one line on standard error, {@code cairn: <problem>}, with exit code 1 (failure), 2 (bad usage)
 * or 3 (backup finished with warnings: the snapshot is partial).
 */
package dev.cairn.cli;
