/**
 * Keeping a repository's size in check without losing what must be kept: {@link
 * dev.cairn.maintenance.RetentionPolicy} decides which snapshots a policy keeps and says why (a pure function of
 * their times, tags and the time zone); {@link dev.cairn.maintenance.Pruner} plans, then executes, the removal of
 * data no remaining snapshot needs, writing new index files before it deletes anything, so that an interrupted
 * prune leaves a valid repository and a second run finishes the job.
 */
package dev.cairn.maintenance;
