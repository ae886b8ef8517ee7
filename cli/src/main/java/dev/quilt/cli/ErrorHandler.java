package dev.quilt.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The one place errors are printed: {@code error: <message>} on stderr, one line, and the stack trace only
 * with {@code --stacktrace}. Under a command that is {@link ErrorPrefixed} the line starts with its prefix
 * instead ({@code quilt zstor: <message>}). A bug (exit 70) adds a hint to rerun with {@code --stacktrace}; a usage error
 * (exit 2) adds where to find the command's help.
 */
final class ErrorHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {
    private final GlobalOptions options;

    ErrorHandler(GlobalOptions options) {
        this.options = options;
    }

    @Override
    public int handleExecutionException(Exception failure, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        int exitCode = command.getExitCodeExceptionMapper().getExitCode(failure);
        err.println(prefix(command) + message(failure));
        if (options.stacktrace()) {
            failure.printStackTrace(err);
        } else if (exitCode == ExitCodes.INTERNAL) {
            err.println("This is a bug in quilt; rerun with --stacktrace to see where it happened.");
        }
        err.flush();
        return exitCode;
    }

    @Override
    public int handleParseException(ParameterException failure, String[] args) {
        CommandLine command = failure.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(prefix(command) + failure.getMessage());
        err.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        if (options.stacktrace()) {
            failure.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    /** {@code error: }, or the prefix of the nearest {@link ErrorPrefixed} command up from {@code command}. */
    private static String prefix(CommandLine command) {
        for (CommandLine c = command; c != null; c = c.getParent()) {
            if (c.getCommand() instanceof ErrorPrefixed prefixed) {
                return prefixed.errorPrefix() + ": ";
            }
        }
        return "error: ";
    }

    private static String message(Throwable failure) {
        Throwable shown = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause() : failure;
        String message = shown.getMessage();
        return message == null || message.isBlank() ? shown.getClass().getName() : message;
    }
}
