package org.reaper.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import org.reaper.ReaperException;
import org.reaper.io.IoErrors;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/** Turns every error into one line on stderr ("reaper: ...") and an exit code: 2 for usage, 1 otherwise. */
final class CliErrors {
    static final int USAGE = 2, FAILURE = 1;

    private CliErrors() {}

    /** A bad flag, a bad value, a missing parameter. */
    static final class UsageHandler implements IParameterExceptionHandler {
        @Override public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            String cmd = cl.getCommandSpec().qualifiedName(" ");
            cl.getErr().println("reaper: " + oneLine(ex.getMessage()) + " (see '" + cmd + " --help')");
            cl.getErr().flush();
            return USAGE;
        }
    }

    /** Errors while a command runs: user errors get their message, anything else a hint about --debug. */
    static final class ExecutionHandler implements IExecutionExceptionHandler {
        private final boolean debug;

        ExecutionHandler(boolean debug) { this.debug = debug; }

        @Override public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
            PrintWriter err = cl.getErr();
            err.println("reaper: " + describe(ex, debug));
            if (debug) ex.printStackTrace(err);
            err.flush();
            return ex instanceof ParameterException ? USAGE : FAILURE;
        }
    }

    /** The one line for an exception: its message for user errors, class and message plus a hint otherwise. */
    static String describe(Throwable ex, boolean debug) {
        Throwable user = userError(ex);
        if (user != null) return oneLine(user.getMessage());
        String hint = debug ? "" : " (run with --debug for the stack trace)";
        return "unexpected error: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage())) + hint;
    }

    /** The user-fixable error in {@code ex}'s cause chain, or null. */
    static Throwable userError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ReaperException || t instanceof ParameterException || t instanceof IllegalArgumentException)
                return t.getMessage() == null ? null : t;
            if (t instanceof NoSuchFileException) return new ReaperException("file not found: " + t.getMessage());
            if (t instanceof FileSystemException f) return new ReaperException(f.getFile() + ": " + IoErrors.reason(f));
            if (t instanceof UncheckedIOException && t.getCause() != null && t.getCause().getMessage() != null)
                return new ReaperException(t.getCause().getMessage());
        }
        return null;
    }

    static String oneLine(String s) {
        if (s == null) return "";
        return s.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
