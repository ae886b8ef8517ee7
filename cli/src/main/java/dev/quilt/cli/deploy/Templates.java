package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The templates bundled with Quilt ({@code templates/<name>.yaml} in the jar) and users' own files. */
public final class Templates {
    /** The bundled templates, in the order {@code quilt deploy --help} lists them. */
    public static final List<String> BUNDLED = List.of("monero", "quilt-fullnode", "casper", "polkadot", "ethereum");

    private Templates() {}

    public static Template bundled(String name) {
        try (InputStream in = Templates.class.getResourceAsStream("/templates/" + name + ".yaml")) {
            if (in == null) {
                throw CliException.input("no template '" + name + "' (bundled: " + String.join(", ", BUNDLED)
                        + "; or --template-file FILE)");
            }
            return TemplateParser.parse(name, in.readAllBytes());
        } catch (IOException e) {
            throw CliException.unavailable("cannot read the bundled template " + name + ": " + e.getMessage(), e);
        }
    }

    public static Template file(Path file) {
        try {
            return TemplateParser.parse(file.toString(), Files.readAllBytes(file));
        } catch (IOException e) {
            throw CliException.input("--template-file: cannot read " + file + " (" + e.getMessage() + ")");
        }
    }
}
