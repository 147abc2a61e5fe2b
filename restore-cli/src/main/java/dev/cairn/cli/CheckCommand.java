package dev.cairn.cli;

import dev.cairn.backup.Checker;
import dev.cairn.store.repo.Repository;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(name = "check", description = "Verify the repository's structure: every indexed pack exists and is"
        + " long enough, and every tree and data blob of every snapshot is indexed.",
        footer = {"", "Exit code 1 when anything is damaged; the damage is listed with the snapshots it affects."})
final class CheckCommand implements Callable<Integer> {
    @ParentCommand
    RootCommand root;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        try (Repository r = root.repo.open(ctx)) {
            Checker.Result res = Checker.checkStructure(r);
            for (Checker.Problem p : res.problems()) {
                ctx.err().println("cairn: damaged: " + p);
            }
            ctx.out().printf("checked %d snapshots, %d packs (%d not indexed: leftovers of interrupted runs),"
                    + " %d blobs: %s%n", res.snapshots(), res.packs(), res.unindexedPacks(), res.blobs(),
                    res.ok() ? "no errors" : res.problems().size() + " problems");
            return res.ok() ? Cairn.EXIT_OK : Cairn.EXIT_FAILED;
        }
    }
}
