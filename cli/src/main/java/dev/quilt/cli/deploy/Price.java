package dev.quilt.cli.deploy;

import dev.quilt.chain.PricingPolicy;
import dev.quilt.chain.Resources;

/**
 * What a reservation costs an hour at a farm's pricing policy (served by the chain API), by the
 * ledger's formula: tfchain's CU and SU, grid reference §1.5.
 */
final class Price {
    private static final long GIB = 1L << 30;

    private Price() {}

    static long hourly(Resources r, PricingPolicy p) {
        long m = r.mru() * 1000 / GIB;
        long c = r.cru() * 1000;
        long cuMilli = Math.min(Math.max(m / 4, c / 2), Math.min(Math.max(m / 8, c), Math.max(m / 2, c / 4)));
        long suMilli = r.hru() * 1000 / GIB / 1200 + r.sru() * 1000 / GIB / 200;
        return (cuMilli * p.cuPerHour() + suMilli * p.suPerHour()) / 1000;
    }
}
