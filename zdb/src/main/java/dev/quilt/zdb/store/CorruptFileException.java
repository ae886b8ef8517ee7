package dev.quilt.zdb.store;

import java.io.IOException;

/** A file's bytes fail their checksum or format check; the record is never served. */
final class CorruptFileException extends IOException {
    CorruptFileException(String message) {
        super(message);
    }
}
