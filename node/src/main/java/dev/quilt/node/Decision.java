package dev.quilt.node;

/** What the intake decided about a signed deployment. */
public sealed interface Decision {

    /** All four trust checks hold; {@code finalHeight} is the final block they were checked against. */
    record Accept(SignedDeployment deployment, long finalHeight) implements Decision {}

    /**
     * Refused, with the reason the client sees. {@code status} is the HTTP status: 400 malformed,
     * 403 a trust check failed, 409 not newer than the accepted version, 503 the chain cannot tell yet.
     */
    record Refuse(int status, String reason) implements Decision {}
}
