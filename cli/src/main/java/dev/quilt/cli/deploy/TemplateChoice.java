package dev.quilt.cli.deploy;

import dev.quilt.cli.CliException;
import java.nio.file.Path;

/** A template named on the command line: bundled by name, or a user's file; {@code ref} is how records refer to it. */
record TemplateChoice(Template template, String ref) {
    static TemplateChoice of(String name, Path file) {
        if (name != null && file != null) {
            throw CliException.input("give a TEMPLATE name or --template-file, not both");
        }
        if (file != null) {
            return new TemplateChoice(Templates.file(file), "file:" + file.toAbsolutePath());
        }
        if (name == null) {
            throw CliException.input("which template? name one (" + String.join(", ", Templates.BUNDLED) + ") or pass --template-file FILE");
        }
        return ref(name);
    }

    /** A reference as records and deployment files write it: a bundled name or {@code file:PATH}. */
    static TemplateChoice ref(String ref) {
        return ref.startsWith("file:") ? new TemplateChoice(Templates.file(Path.of(ref.substring(5))), ref)
                : new TemplateChoice(Templates.bundled(ref), ref);
    }
}
