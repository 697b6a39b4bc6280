package org.reaper.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

/** Ties the relaunched JVM's life to its parent's (see {@link Main}): neither may outlive the other. */
final class ParentWatch {
    private ParentWatch() {}

    /** In the child: a daemon thread that halts the JVM once the parent's pipe on stdin reaches end-of-file. */
    static void exitWhenStdinCloses() {
        Thread t = new Thread(() -> {
            try {
                InputStream in = System.in;
                while (in.read() >= 0) { /* the parent writes nothing; wait for end-of-file */ }
            } catch (IOException ignored) {
                // a broken pipe means the same: the parent is gone
            }
            System.err.println("reaper: the parent process ended; stopping");
            Runtime.getRuntime().halt(143);
        }, "reaper-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    /**
     * In the parent: SIGTERM, SIGINT and SIGUSR1 go on to the child, which stops gracefully (train/GracefulStop), and
     * the parent keeps waiting so that it exits with the child's code (a scheduler reads that code).
     */
    static void forwardStopSignals(Process child) {
        for (String name : List.of("TERM", "INT", "USR1")) {
            try {
                Signal.handle(new Signal(name), s -> forward(child, s.getName()));
            } catch (IllegalArgumentException e) {
                // reserved by this JVM: that signal keeps its default action
            }
        }
    }

    private static void forward(Process child, String signal) {
        if (!child.isAlive()) return;
        try {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(child.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            child.destroy();                 // no kill(1): SIGTERM stops the child the same way
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
        }
    }

    /** In the parent's shutdown hook (SIGTERM, SIGINT): stop the child and give it a moment to end cleanly. */
    static void stop(Process child) {
        if (!child.isAlive()) return;
        child.destroy();
        try {
            if (!child.waitFor(10, TimeUnit.SECONDS)) child.destroyForcibly();
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
