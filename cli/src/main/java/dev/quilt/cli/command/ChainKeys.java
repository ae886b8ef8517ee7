package dev.quilt.cli.command;

import dev.quilt.cli.CliException;
import dev.quilt.common.crypto.Ed25519KeyPair;
import dev.quilt.common.crypto.Ed25519PublicKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Reading keys given on the command line: key files hold the 32-byte Ed25519 seed as hex. */
public final class ChainKeys {
    private ChainKeys() {}

    public static Ed25519KeyPair readSeed(String option, Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw CliException.input(option + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
        try {
            return Ed25519KeyPair.fromSeed(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw CliException.input(option + ": " + file + " does not hold a 32-byte seed as 64 hex digits (create one with quilt identity new)");
        }
    }

    public static Ed25519PublicKey publicKey(String option, String hex) {
        try {
            return Ed25519PublicKey.fromHex(hex);
        } catch (IllegalArgumentException e) {
            throw CliException.input(option + ": '" + hex + "' (expected: a public key as 64 hex digits)");
        }
    }
}
