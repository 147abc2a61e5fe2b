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

    @picocli.CommandLine.Option(names = "--read-data", description = "Also download every pack and authenticate"
            + " every blob in it.")
    boolean readData;

    @picocli.CommandLine.Option(names = "--read-data-subset", paramLabel = "N/M|P%",
            description = "Download only part of the packs: group N of M (M runs read everything once), or a random"
                    + " P percent.")
    String subset;

    @Override
    public Integer call() throws Exception {
        CliContext ctx = root.ctx;
        Checker.Subset which = subset != null ? Checker.Subset.parse(subset) : readData ? Checker.Subset.ALL : null;
        try (Repository r = root.repo.open(ctx)) {
            Checker.Result res = Checker.checkStructure(r);
            for (Checker.Problem p : res.problems()) {
                ctx.err().println("cairn: damaged: " + p);
            }
            ctx.out().printf("checked %d snapshots, %d packs (%d not indexed: leftovers of interrupted runs),"
                    + " %d blobs: %s%n", res.snapshots(), res.packs(), res.unindexedPacks(), res.blobs(),
                    res.ok() ? "no errors" : res.problems().size() + " problems");
            boolean ok = res.ok();
            if (which != null) {
                Checker.Result data = Checker.checkData(r, which, new java.security.SecureRandom());
                for (Checker.Problem p : data.problems()) {
                    ctx.err().println("cairn: damaged: " + p);
                }
                ctx.out().printf("read %d packs back: %s%n", data.packs(),
                        data.ok() ? "every blob authenticated" : data.problems().size() + " problems");
                ok &= data.ok();
            }
            return ok ? Cairn.EXIT_OK : Cairn.EXIT_FAILED;
        }
    }
}
