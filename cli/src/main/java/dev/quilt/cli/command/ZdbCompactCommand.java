package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.cli.GlobalOptions;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.client.ZdbException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code quilt zdb compact}: asks a running zdb to compact ({@code COMPACT [namespace]}, admin only) and
 * prints the summary it answers.
 */
@Command(name = "compact",
        mixinStandardHelpOptions = true,
        versionProvider = dev.quilt.cli.Quilt.VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = "Ask a running zdb to compact its data files; print its summary.")
public final class ZdbCompactCommand implements Callable<Integer> {
    @Mixin
    private GlobalOptions globalOptions;

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", description = "zdb's address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9900", description = "zdb's port (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--admin", paramLabel = "PASSWORD", description = "Admin password, when zdb runs with --admin.")
    private String admin;

    @Option(names = "--timeout", paramLabel = "SEC", defaultValue = "3600",
            description = "How long to wait for the summary (default: ${DEFAULT-VALUE}).")
    private long timeoutSeconds;

    @Parameters(arity = "0..1", paramLabel = "NAMESPACE", description = "Namespace to compact (default: all).")
    private String namespace;

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0) {
            throw CliException.input("--timeout: " + timeoutSeconds + " (expected: > 0 seconds)");
        }
        String peer = host + ":" + port;
        ZdbClient.Builder builder = ZdbClient.builder(host, port).maxConnections(1).readTimeout(Duration.ofSeconds(timeoutSeconds));
        if (admin != null) {
            builder.adminPassword(admin);
        }
        ZdbClient client;
        try {
            client = builder.build();
        } catch (ZdbException e) {
            throw CliException.unavailable("zdb at " + peer + " refused AUTH: " + e.getMessage(), e);
        }
        try (client) {
            Object summary = namespace == null ? client.command("COMPACT") : client.command("COMPACT", namespace);
            PrintWriter out = spec.commandLine().getOut();
            print(out, summary);
            out.flush();
            return 0;
        } catch (ZdbException e) {
            throw CliException.unavailable("zdb at " + peer + " refused COMPACT: " + e.getMessage(), e);
        }
    }

    private static void print(PrintWriter out, Object reply) {
        switch (reply) {
            case null -> { }
            case byte[] bytes -> {
                String text = new String(bytes, StandardCharsets.UTF_8);
                out.print(text.endsWith("\n") ? text : text + "\n");
            }
            case List<?> items -> items.forEach(item -> print(out, item));
            default -> out.println(reply);
        }
    }
}
