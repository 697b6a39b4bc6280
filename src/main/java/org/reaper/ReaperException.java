package org.reaper;

/**
 * An error a user can cause and fix (bad path, bad flag, truncated file, missing GPU library).
 * The CLI prints its message as one line and exits non-zero; the message names the problem and the fix.
 */
public class ReaperException extends RuntimeException {
    public ReaperException(String message) { super(message); }
    public ReaperException(String message, Throwable cause) { super(message, cause); }
}
