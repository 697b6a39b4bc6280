package org.reaper.cli;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The jar's entry point: {@code java -jar target/reaper.jar <command>}. {@link #execute} runs a command
 * in-process and returns its exit code (tests call it); {@link #main} adds the Vector API relaunch and exits.
 */
@Command(name = "reaper", mixinStandardHelpOptions = true, versionProvider = VersionInfo.class,
        description = "A from-scratch deep-learning engine in Java whose flagship is RePr (Prakash et al., CVPR 2019).",
        subcommands = {DemoCommand.class, TrainCommand.class, PrepareCommand.class, EvalCommand.class, RankCommand.class, AgreementCommand.class, ExplainCommand.class, StudyCommand.class,
                ReportCommand.class, BenchCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    static final String VECTOR_MODULE = "jdk.incubator.vector";
    /** Set in the relaunched JVM; "stdin" means its standard input is a pipe from the parent that closes when the parent dies. */
    static final String CHILD_ENV = "REAPER_CHILD", LIFELINE_STDIN = "stdin";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print the stack trace of unexpected errors.")
    boolean debug;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    public static void main(String[] args) {
        if (LIFELINE_STDIN.equals(System.getenv(CHILD_ENV))) ParentWatch.exitWhenStdinCloses();
        if (!vectorApiPresent() && System.getenv(CHILD_ENV) == null) {
            Integer code = relaunchWithVectorApi(args);
            if (code != null) System.exit(code);
            System.err.println("reaper: warning: the Vector API module is missing and the JVM could not be relaunched with "
                    + "--add-modules " + VECTOR_MODULE + "; continuing on the slower scalar path");
        }
        System.exit(execute(args));
    }

    /** Runs one command line with System.out / System.err and returns the exit code (0 ok, 1 error, 2 usage). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
    }

    /** Runs one command line writing to {@code out} and {@code err}; never calls System.exit. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        boolean debug = debugRequested(args);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOverwrittenOptionsAllowed(true);
        cl.setParameterExceptionHandler(new CliErrors.UsageHandler());
        cl.setExecutionExceptionHandler(new CliErrors.ExecutionHandler(debug));
        try {
            if (args.length == 0) {          // a bare 'reaper' is a usage error: the usage goes to stderr, exit 2
                cl.usage(err);
                return CliErrors.USAGE;
            }
            if (java.util.Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("").equals("train"))
                TrainCommand.configure(cl.getSubcommands().get("train"), args);
            return cl.execute(args);
        } catch (RuntimeException e) {
            err.println("reaper: " + CliErrors.describe(e, debug));
            if (debug) e.printStackTrace(err);
            return CliErrors.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    public static boolean vectorApiPresent() { return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent(); }

    private static boolean debugRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--")) return false;
            if (a.equals("--debug")) return true;
        }
        return false;
    }

    /** Runs the same command in a child JVM that has the Vector API; returns its exit code, or null when impossible. */
    private static Integer relaunchWithVectorApi(String[] args) {
        Optional<String> java = ProcessHandle.current().info().command();
        String classPath = System.getProperty("java.class.path");
        if (java.isEmpty() || classPath == null || classPath.isEmpty()) return null;
        List<String> cmd = new ArrayList<>();
        cmd.add(java.get());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("--add-modules");
        cmd.add(VECTOR_MODULE);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        try {
            // stdin is a pipe the parent never writes: when the parent dies by any signal, even SIGKILL, the child reads
            // end-of-file and stops, so no training outlives the process the user started
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).redirectInput(ProcessBuilder.Redirect.PIPE);
            pb.environment().put(CHILD_ENV, LIFELINE_STDIN);
            Process p = pb.start();
            ParentWatch.forwardStopSignals(p);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> ParentWatch.stop(p)));
            return p.waitFor();
        } catch (Exception e) {
            return null;
        }
    }
}
