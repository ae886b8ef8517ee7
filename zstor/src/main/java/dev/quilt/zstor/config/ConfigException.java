package dev.quilt.zstor.config;

import java.io.Serial;

/**
 * A configuration that zstor refuses: a syntax error, an unknown key, a bad value or a layout
 * that cannot keep the promised redundancy. {@link #key()} is the dotted TOML key at fault (for
 * example {@code groups[1].backends[0].address}), and the message says what was expected.
 */
public final class ConfigException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String message) {
        super(key.isEmpty() ? message : key + ": " + message);
        this.key = key;
    }

    private ConfigException(ConfigException inner, String where) {
        super(where + ": " + inner.getMessage());
        this.key = inner.key;
    }

    /** The same refusal, its message prefixed by the file it came from: {@code file: key: message}. */
    static ConfigException in(String where, ConfigException inner) {
        return new ConfigException(inner, where);
    }

    /** The dotted key at fault; empty for syntax errors that name no key. */
    public String key() {
        return key;
    }
}
