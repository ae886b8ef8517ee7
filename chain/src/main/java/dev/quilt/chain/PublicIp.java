package dev.quilt.chain;

/** A farm's public IPv4 address (CIDR) with its gateway; {@code contractId} is 0 while it is free. */
public record PublicIp(String ip, String gateway, long contractId) {
    public static final int MAX_TEXT = 64;

    public boolean isFree() {
        return contractId == 0;
    }

    PublicIp assignedTo(long contract) {
        return new PublicIp(ip, gateway, contract);
    }
}
