package dev.quilt.zdb.store;

import java.util.zip.CRC32C;

/** Little-endian integer access and CRC32C over byte arrays, shared by the file formats. */
final class Bytes {
    private Bytes() { }

    static int u8(byte[] b, int off) {
        return b[off] & 0xFF;
    }

    static int i32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long u32(byte[] b, int off) {
        return Integer.toUnsignedLong(i32(b, off));
    }

    static long i64(byte[] b, int off) {
        return (i32(b, off) & 0xFFFF_FFFFL) | ((long) i32(b, off + 4)) << 32;
    }

    static void put32(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static void put64(byte[] b, int off, long v) {
        put32(b, off, v);
        put32(b, off + 4, v >>> 32);
    }

    static int crc32c(byte[] b, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(b, off, len);
        return (int) crc.getValue();
    }

    static int crc32c(byte[] a, int aOff, int aLen, byte[] b, int bOff, int bLen) {
        CRC32C crc = new CRC32C();
        crc.update(a, aOff, aLen);
        crc.update(b, bOff, bLen);
        return (int) crc.getValue();
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        put64(b, 0, v);
        return b;
    }

    static byte[] position(long fileId, long offset) {
        byte[] b = new byte[8];
        put32(b, 0, fileId);
        put32(b, 4, offset);
        return b;
    }
}
