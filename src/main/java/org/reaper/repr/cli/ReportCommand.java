package org.reaper.repr.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** The {@code report} command (being built). */
@Command(name = "report", mixinStandardHelpOptions = true, description = "RePr report (being built).")
public final class ReportCommand implements Callable<Integer> {
    @Override public Integer call() {
        System.err.println("report: not available yet in this build");
        return 2;
    }
}
