package org.reaper.repr.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The {@code study} command (being built). */
@Command(name = "study", mixinStandardHelpOptions = true, description = "RePr study (being built).")
public final class StudyCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.err.println("study: not available yet in this build");
        return 2;
    }
}
