package dev.quilt.chain;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads annotated hex vectors from {@code src/test/resources/vectors}: lines starting with '#'
 * are comments, "## name" starts a named section, every other line is hex.
 */
final class GoldenVectors {
    private GoldenVectors() {}

    static String text(String file) {
        try (InputStream in = GoldenVectors.class.getResourceAsStream("/vectors/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector file " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole file as one byte string. */
    static byte[] bytes(String file) {
        StringBuilder hex = new StringBuilder();
        text(file).lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> hex.append(l.strip()));
        return HexFormat.of().parseHex(hex);
    }

    /** Section name → bytes, in file order. */
    static Map<String, byte[]> sections(String file) {
        Map<String, StringBuilder> hex = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : text(file).lines().toList()) {
            if (line.startsWith("## ")) {
                current = new StringBuilder();
                hex.put(line.substring(3).strip(), current);
            } else if (!line.startsWith("#") && !line.isBlank()) {
                current.append(line.strip());
            }
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        hex.forEach((name, h) -> out.put(name, HexFormat.of().parseHex(h)));
        return out;
    }
}
