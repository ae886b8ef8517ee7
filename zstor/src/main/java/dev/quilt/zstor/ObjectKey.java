package dev.quilt.zstor;

import dev.quilt.zstor.meta.ObjectHash;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * An object's key as zstor uses it: its UTF-8 bytes (the object id sealed into the metadata and
 * bound into every stripe's authentication) and its 16-byte hash (what backends see).
 */
record ObjectKey(String name, byte[] id, byte[] hash) {

    static ObjectKey of(String name) {
        byte[] id = name.getBytes(StandardCharsets.UTF_8);
        if (id.length < 1 || id.length > 255) {
            throw new IllegalArgumentException("key \"" + name + "\": " + id.length
                    + " UTF-8 bytes (expected: 1..255)");
        }
        return new ObjectKey(name, id, ObjectHash.of(id));
    }

    static ObjectKey fromId(byte[] id) {
        return new ObjectKey(new String(id, StandardCharsets.UTF_8), id.clone(), ObjectHash.of(id));
    }

    String hashHex() {
        return HexFormat.of().formatHex(hash);
    }

    @Override
    public String toString() {
        return "\"" + name + "\"";
    }
}
