package dev.quilt.cli;

import dev.quilt.cli.command.ZdbCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;

/**
 * Runs {@code quilt} in-process and captures what a user would see.
 *
 * @param exitCode the exit code {@code quilt} would exit with
 * @param out      everything printed on stdout
 * @param err      everything printed on stderr by the command line (not by the log)
 */
public record QuiltRun(int exitCode, String out, String err) {

    /** {@code quilt args} with the real server launcher. */
    public static QuiltRun of(String... args) {
        return with(ZdbServerStarterForbidden.INSTANCE, args);
    }

    /** {@code quilt args} where {@code quilt zdb} starts its server with {@code starter}. */
    public static QuiltRun with(ZdbCommand.Starter starter, String... args) {
        IFactory factory = new IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ZdbCommand.class) {
                    return type.cast(new ZdbCommand(starter));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        CommandLine line = Quilt.commandLine(factory);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        line.setOut(new PrintWriter(out, true));
        line.setErr(new PrintWriter(err, true));
        int exitCode = line.execute(args);
        return new QuiltRun(exitCode, out.toString(), err.toString());
    }

    /** A starter for tests that must never reach the point of starting a server. */
    enum ZdbServerStarterForbidden implements ZdbCommand.Starter {
        INSTANCE;

        @Override
        public dev.quilt.zdb.ZdbServer start(dev.quilt.zdb.ZdbServerConfig config) {
            throw new AssertionError("this test must not start a server, but got " + config);
        }
    }
}
