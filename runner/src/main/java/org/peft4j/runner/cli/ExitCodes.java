package org.peft4j.runner.cli;

/** The process exit codes of every peft4j command. */
public final class ExitCodes {

    /** Everything worked. */
    public static final int OK = 0;
    /** A run or the work itself failed. */
    public static final int RUN_FAILURE = 1;
    /** Bad command-line usage or a bad config. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
