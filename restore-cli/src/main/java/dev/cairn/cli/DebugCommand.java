package dev.cairn.cli;

import dev.cairn.catalog.model.MetadataCodec;
import dev.cairn.store.chunker.ChunkerParams;
import dev.cairn.store.chunker.FastCdc;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "debug", description = "Tools for choosing settings and looking inside.",
        subcommands = {DebugCommand.Chunk.class})
final class DebugCommand {
    @ParentCommand
    RootCommand root;

    @Command(name = "chunk", description = "Print the chunks (offset, length) FastCDC cuts FILE into.",
            footer = {"", "Example:", "  cairn debug chunk --min 4096 --avg 16384 --max 65536 disk.img"})
    static final class Chunk implements Callable<Integer> {
        @ParentCommand
        DebugCommand debug;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Option(names = "--min", defaultValue = "524288", description = "Minimum chunk size (default ${DEFAULT-VALUE}).")
        int min;

        @Option(names = "--avg", defaultValue = "1048576", description = "Average chunk size (default ${DEFAULT-VALUE}).")
        int avg;

        @Option(names = "--max", defaultValue = "8388608", description = "Maximum chunk size (default ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--normalization", defaultValue = "1", description = "Normalization level 0..3 (default 1).")
        int normalization;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        record Cut(long offset, int length) {
        }

        record Report(String file, ChunkerParams params, long size, int chunks, List<Cut> cuts) {
        }

        @Override
        public Integer call() throws Exception {
            CliContext ctx = debug.root.ctx;
            FastCdc cdc = FastCdc.of(ChunkerParams.of(min, avg, max, normalization));
            List<Cut> cuts = new ArrayList<>();
            long size = 0;
            try (InputStream in = Files.newInputStream(file)) {
                FastCdc.Stream s = cdc.stream(in, new byte[cdc.bufferSize()]);
                while (s.next()) {
                    if (json) {
                        cuts.add(new Cut(s.offset(), s.chunkLength()));
                    } else {
                        ctx.out().println(s.offset() + " " + s.chunkLength());
                    }
                    size += s.chunkLength();
                }
                if (json) {
                    ctx.out().println(MetadataCodec.toJson(new Report(file.toString(), cdc.params(), size, cuts.size(),
                            cuts)));
                }
            }
            return Cairn.EXIT_OK;
        }
    }
}
