package dev.quilt.chain;

import java.util.List;

/** A farmer's group of nodes: a unique name, its owner twin, the pricing policy it sells at, and its public IPs. */
public record Farm(long id, String name, long ownerTwin, long pricingPolicyId, List<PublicIp> publicIps) {
    public static final int MAX_NAME = 40;
    public static final int MAX_IPS = 256;

    public Farm {
        publicIps = List.copyOf(publicIps);
    }

    Farm withPricing(long policyId) {
        return new Farm(id, name, ownerTwin, policyId, publicIps);
    }

    Farm withIps(List<PublicIp> ips) {
        return new Farm(id, name, ownerTwin, pricingPolicyId, ips);
    }
}
