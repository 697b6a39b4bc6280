package org.reaper.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM, SIGINT and SIGUSR1 ask every training in this JVM to stop after its current step, write a checkpoint
 * inside the epoch and end with {@link #EXIT_CODE}. A later signal is only acknowledged: the checkpoint being written
 * is finished (and it is written atomically, so even SIGKILL leaves the previous one intact).
 *
 * <p>The handlers are installed while a run trains ({@link #watch}) and the JVM's own ones put back afterwards, unless
 * a stop was requested: then the process is on its way out and a late signal must not kill it with another code.
 */
public final class GracefulStop {
    /** The exit status of a run stopped on request with its checkpoint written (sysexits' EX_TEMPFAIL: try again). */
    public static final int EXIT_CODE = 75;
    private static final List<String> SIGNALS = List.of("TERM", "INT", "USR1");

    private static final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private static int watchers;
    private static volatile String received;

    private GracefulStop() {}

    /** An open {@link #watch}; closing it cannot fail. */
    public interface Watch extends AutoCloseable {
        @Override void close();
    }

    /** The signal that asked to stop ("SIGTERM"), or null. Once set it stays set: no new training starts in this JVM. */
    public static String signal() { return received; }

    public static boolean requested() { return received != null; }

    /** Installs the handlers while the returned scope is open (scopes nest: a study trains several runs at once). */
    public static synchronized Watch watch() {
        if (watchers++ == 0 && previous.isEmpty()) {
            for (String name : SIGNALS) {
                try {
                    Signal s = new Signal(name);
                    previous.put(s, Signal.handle(s, GracefulStop::onSignal));
                } catch (IllegalArgumentException e) {
                    // the JVM reserves this signal here (e.g. -Xrs): the others still stop the run gracefully
                }
            }
        }
        return GracefulStop::unwatch;
    }

    private static synchronized void unwatch() {
        if (--watchers > 0 || received != null) return;
        previous.forEach(Signal::handle);
        previous.clear();
    }

    private static void onSignal(Signal s) {
        String name = "SIG" + s.getName();
        if (received == null) {
            received = name;
            System.err.println("reaper: " + name + " received: stopping after the current step and writing a checkpoint");
        } else {
            System.err.println("reaper: " + name + " received again: still writing the checkpoint (stopping after " + received + ")");
        }
        System.err.flush();
    }
}
