/**
 * {@code cairn daemon}: scheduled backups, retention and checks inside the storage node's container.
 * {@link dev.cairn.daemon.DaemonConfig} reads and validates the YAML configuration; {@link dev.cairn.daemon.Daemon}
 * runs each job on its schedule (never two at once on the repository), retries failed runs with backoff, catches
 * up a run missed while it was down when a job asks for it, serves {@code /metrics}, {@code /healthz} and
 * {@code /status}, and stops cleanly on SIGTERM. Jobs run the same code as the command line.
 */
package dev.cairn.daemon;
