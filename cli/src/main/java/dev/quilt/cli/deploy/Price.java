package dev.quilt.cli.deploy;

import dev.quilt.chain.PricingPolicy;
import dev.quilt.chain.Resources;
import dev.quilt.cli.command.ChainInitCommand;

/**
 * What a reservation costs an hour, by the ledger's formula (tfchain's CU and SU, grid reference
 * §1.5). The chain API does not serve pricing policies, so the policy is the one {@code quilt chain
 * init} writes, which every farm starts with.
 */
final class Price {
    private static final long GIB = 1L << 30;

    private Price() {}

    static long hourly(Resources r) {
        return hourly(r, ChainInitCommand.DEFAULT_POLICY);
    }

    static long hourly(Resources r, PricingPolicy p) {
        long m = r.mru() * 1000 / GIB;
        long c = r.cru() * 1000;
        long cuMilli = Math.min(Math.max(m / 4, c / 2), Math.min(Math.max(m / 8, c), Math.max(m / 2, c / 4)));
        long suMilli = r.hru() * 1000 / GIB / 1200 + r.sru() * 1000 / GIB / 200;
        return (cuMilli * p.cuPerHour() + suMilli * p.suPerHour()) / 1000;
    }
}
