package dev.quilt.chain;

/**
 * Prices in ledger units, chosen by a farm and set by governance. Every rate is per hour except
 * {@code nuPerGib} (per GiB of network traffic reported).
 *
 * @param cuPerHour price of one compute unit (CU) for one hour
 * @param suPerHour price of one storage unit (SU) for one hour
 * @param nuPerGib price of one GiB of public network traffic
 * @param ipv4PerHour price of one public IPv4 address for one hour
 * @param uniqueNamePerHour price of a name contract for one hour
 * @param dedicatedPercentPaid share of the full-node price a rent contract pays, in percent
 */
public record PricingPolicy(long id, String name, long cuPerHour, long suPerHour, long nuPerGib,
                            long ipv4PerHour, long uniqueNamePerHour, int dedicatedPercentPaid) {
    public static final int MAX_NAME = 64;

    public PricingPolicy {
        if (id <= 0) {
            throw new IllegalArgumentException("pricing policy id must be positive: " + id);
        }
        if (cuPerHour < 0 || suPerHour < 0 || nuPerGib < 0 || ipv4PerHour < 0 || uniqueNamePerHour < 0) {
            throw new IllegalArgumentException("prices must be non-negative");
        }
        if (dedicatedPercentPaid < 0 || dedicatedPercentPaid > 100) {
            throw new IllegalArgumentException("dedicatedPercentPaid must be 0..100: " + dedicatedPercentPaid);
        }
    }
}
