/**
 * The {@code quilt} command: start with {@link dev.quilt.cli.Quilt}.
 *
 * <p>The root owns everything global: {@code --help}, {@code --version}, {@code -v} (log level), the one
 * error handler that prints {@code error: <message>}, and the exit codes of {@link dev.quilt.cli.ExitCodes}.
 * Each subcommand lives in {@code dev.quilt.cli.command}, parses its flags and calls a module's API.
 */
package dev.quilt.cli;
