package dev.quilt.cli;

import dev.quilt.zdb.client.ZdbException;
import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine.IExitCodeExceptionMapper;

/**
 * Maps what a command threw to an exit code: {@link CliException} carries its own; network and disk trouble
 * and server refusals are {@link ExitCodes#UNAVAILABLE}; anything else is a bug, {@link ExitCodes#INTERNAL}.
 */
final class ExitCodeMapper implements IExitCodeExceptionMapper {
    @Override
    public int getExitCode(Throwable failure) {
        return switch (failure) {
            case CliException e -> e.exitCode();
            case IOException e -> ExitCodes.UNAVAILABLE;
            case UncheckedIOException e -> ExitCodes.UNAVAILABLE;
            case ZdbException e -> ExitCodes.UNAVAILABLE;
            default -> ExitCodes.INTERNAL;
        };
    }
}
