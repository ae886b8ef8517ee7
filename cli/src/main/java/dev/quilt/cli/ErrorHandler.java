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
 * with {@code --stacktrace}. A bug (exit 70) adds a hint to rerun with {@code --stacktrace}; a usage error
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
        err.println("error: " + message(failure));
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
        err.println("error: " + failure.getMessage());
        err.println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        if (options.stacktrace()) {
            failure.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String message(Throwable failure) {
        Throwable shown = failure instanceof UncheckedIOException && failure.getCause() != null ? failure.getCause() : failure;
        String message = shown.getMessage();
        return message == null || message.isBlank() ? shown.getClass().getName() : message;
    }
}
