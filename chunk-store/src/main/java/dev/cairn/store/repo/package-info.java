/**
 * A repository as one unit: its {@code config}, its keys (a master key wrapped under one or more passphrases),
 * opening and initializing it with one-line errors for a wrong passphrase or a foreign, newer or damaged
 * repository, and the shared and exclusive locks that coordinate writers and prune.
 */
package dev.cairn.store.repo;
