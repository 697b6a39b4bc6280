package org.reaper.cli;

import org.reaper.train.Versions;
import picocli.CommandLine.IVersionProvider;

/** --version: Reaper's and the Java runtime's versions. */
public final class VersionInfo implements IVersionProvider {
    @Override public String[] getVersion() {
        return new String[] {"reaper " + Versions.reaper(), "Java " + Versions.java()};
    }
}
