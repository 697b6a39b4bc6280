package org.reaper.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The java command line that runs this Reaper again (for Slurm tasks): this JVM, the Vector API module, this jar or class path. */
final class SelfCommand {
    private SelfCommand() {}

    static List<String> javaCommand() {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> c = new ArrayList<>(List.of(java, "--add-modules", Main.VECTOR_MODULE));
        String[] cp = System.getProperty("java.class.path").split(File.pathSeparator);
        List<String> abs = new ArrayList<>();
        for (String p : cp) abs.add(Path.of(p).toAbsolutePath().normalize().toString());
        if (abs.size() == 1 && abs.get(0).endsWith(".jar")) c.addAll(List.of("-jar", abs.get(0)));
        else c.addAll(List.of("-cp", String.join(File.pathSeparator, abs), Main.class.getName()));
        return c;
    }
}
