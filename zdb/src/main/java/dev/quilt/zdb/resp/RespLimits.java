package dev.quilt.zdb.resp;

/**
 * Hard limits on what a peer may send, each checked before anything is allocated for it.
 *
 * @param maxBulkLength   largest {@code $len} accepted (0-db: 8 MiB, the effective max value size)
 * @param maxArguments    largest {@code *argc} accepted in a request (0-db: 1024)
 * @param maxLineLength   longest header line ({@code *n}, {@code $n}, {@code +text}, {@code -text}) without its CRLF
 * @param maxRequestBytes the sum of all bulk lengths in one request
 * @param maxDepth        deepest array nesting in a reply (requests are always flat)
 */
public record RespLimits(int maxBulkLength, int maxArguments, int maxLineLength, long maxRequestBytes, int maxDepth) {

    /** 0-db's limits; a request may carry one full-size value plus its keys. */
    public static final RespLimits ZDB = new RespLimits(8 * 1024 * 1024, 1024, 1024, 16L * 1024 * 1024, 8);

    public RespLimits {
        if (maxBulkLength < 0 || maxArguments < 1 || maxLineLength < 16 || maxRequestBytes < maxBulkLength || maxDepth < 1) {
            throw new IllegalArgumentException("limits: " + maxBulkLength + "/" + maxArguments + "/" + maxLineLength + "/"
                    + maxRequestBytes + "/" + maxDepth
                    + " (expected: bulk >= 0, arguments >= 1, line >= 16, request >= bulk, depth >= 1)");
        }
    }
}
