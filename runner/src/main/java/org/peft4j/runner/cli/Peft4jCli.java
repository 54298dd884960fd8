package org.peft4j.runner.cli;

import java.io.PrintWriter;
import org.peft4j.runner.Peft4jVersion;
import org.peft4j.runner.config.ConfigFileException;
import org.peft4j.runner.inject.DuplicateExtensionException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code peft4j} command: the root of every subcommand, and the process entry point.
 */
@Command(name = "peft4j", mixinStandardHelpOptions = true, versionProvider = Peft4jCli.Version.class,
        description = "Parameter-efficient fine-tuning on the JVM: compare PEFT methods side by side.",
        subcommands = {PluginsCommand.class, ValidateCommand.class, CompareCommand.class, ModelCommand.class, GradientBenchCommand.class, BenchCommand.class, ReportCommand.class, ExportCommand.class, PredictCommand.class, CommandLine.HelpCommand.class})
public final class Peft4jCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command line with the given streams and returns the exit code ({@link ExitCodes}).
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Peft4jCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigFileException || e instanceof DuplicateExtensionException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            if (e instanceof org.peft4j.api.config.ConfigurationException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return ExitCodes.USAGE;
            }
            commandLine.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            if (Boolean.getBoolean("peft4j.stacktrace")) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(run with -Dpeft4j.stacktrace=true, or PEFT4J_STACKTRACE=1 with ./peft4j, for the stack trace)");
            }
            return ExitCodes.RUN_FAILURE;
        });
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Reports the framework version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"peft4j " + Peft4jVersion.get()};
        }
    }
}
