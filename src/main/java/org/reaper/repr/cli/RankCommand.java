package org.reaper.repr.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The {@code rank} command (being built). */
@Command(name = "rank", mixinStandardHelpOptions = true, description = "RePr rank (being built).")
public final class RankCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.err.println("rank: not available yet in this build");
        return 2;
    }
}
