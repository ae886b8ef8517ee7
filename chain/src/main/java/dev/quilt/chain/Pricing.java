package dev.quilt.chain;

import dev.quilt.chain.ContractKind.NameContract;
import dev.quilt.chain.ContractKind.NodeContract;
import dev.quilt.chain.ContractKind.RentContract;
import java.math.BigInteger;
import java.util.List;

/**
 * What a contract costs, in integers only.
 *
 * <h2>Units (tfchain's formulas, grid reference §1.5)</h2>
 * Memory and disk are counted in GiB; CU and SU are computed in thousandths:
 * <ul>
 *   <li>CU = min(max(mru/4, cru/2), max(mru/8, cru), max(mru/2, cru/4))</li>
 *   <li>SU = hru/1200 + sru/200</li>
 *   <li>hourly price = CU·P.cu + SU·P.su + publicIps·P.ipv4; a name contract costs P.uniqueName;
 *       a rent contract pays P.dedicatedPercentPaid % of its whole node's CU and SU, and the
 *       renter's node contracts on that node then pay only their IPs and traffic;
 *       traffic costs P.nu per GiB reported</li>
 * </ul>
 * CU/SU are billed on what the node last reported in use, never more than the reservation.
 *
 * <h2>Rounding</h2>
 * Each bill is computed exactly as a fraction and rounded down once, in the payer's favour:
 * {@code floor(rate · liveSeconds / 3600)} for time-based charges (with CU/SU in thousandths,
 * GiB from bytes rounded down to thousandths), {@code floor(bytes · P.nu / GiB)} for traffic, and
 * {@code floor(amount · percentPaid / 100)} for the discount. Remainders are not carried over.
 *
 * <h2>Discounts</h2>
 * A twin whose balance covers at least N months of the bill being charged pays the matching
 * level's percentage: with a bill of {@code amount} over {@code seconds}, the level applies when
 * {@code balance · seconds · 10 ≥ monthsTenths · amount · 2 592 000} (30-day months).
 */
final class Pricing {
    static final long SECONDS_PER_MONTH = 30L * 24 * 3600;
    private static final BigInteger PER_HOUR_DIVISOR = BigInteger.valueOf(3600L * 1000 * 100);

    private Pricing() {}

    static long gibMilli(long bytes) {
        return BigInteger.valueOf(bytes).multiply(BigInteger.valueOf(1000))
                .divide(BigInteger.valueOf(Resources.GIB)).longValueExact();
    }

    static long cuMilli(Resources r) {
        long m = gibMilli(r.mru());
        long c = r.cru() * 1000;
        return Math.min(Math.max(m / 4, c / 2), Math.min(Math.max(m / 8, c), Math.max(m / 2, c / 4)));
    }

    static long suMilli(Resources r) {
        return gibMilli(r.hru()) / 1200 + gibMilli(r.sru()) / 200;
    }

    /**
     * The charge for {@code liveSeconds} of a contract out of {@code elapsedSeconds}, plus the same
     * share of {@code nuBytes} of traffic, before discount: traffic carried in a window the node did
     * not attest is not billed, like its time. {@code node} is null for a name contract.
     */
    static long amount(Contract contract, Node node, PricingPolicy p, long liveSeconds, long elapsedSeconds, long nuBytes) {
        // hourly rate in units / (1000 · 100): thousandths for CU and SU, hundredths for the rent percentage
        BigInteger rate = switch (contract.kind()) {
            case NodeContract n -> {
                BigInteger cuSu = node.rentContract() != 0 ? BigInteger.ZERO : cuSuMilli(n.used(), p);
                yield cuSu.add(big(n.publicIps().size()).multiply(big(p.ipv4PerHour())).multiply(big(1000)))
                        .multiply(big(100));
            }
            case RentContract r -> cuSuMilli(node.capacity(), p).multiply(big(p.dedicatedPercentPaid()));
            case NameContract n -> big(p.uniqueNamePerHour()).multiply(big(1000L * 100));
        };
        BigInteger time = rate.multiply(big(liveSeconds)).divide(PER_HOUR_DIVISOR);
        BigInteger traffic = elapsedSeconds <= 0 ? BigInteger.ZERO
                : big(nuBytes).multiply(big(p.nuPerGib())).multiply(big(liveSeconds))
                        .divide(big(Resources.GIB).multiply(big(elapsedSeconds)));
        return saturate(time.add(traffic));
    }

    /** The percentage of {@code amount} the twin pays, given its balance (100 when no level applies). */
    static int percentPaid(List<DiscountLevel> levels, long balance, long amount, long seconds) {
        if (amount == 0 || seconds == 0) {
            return 100;
        }
        BigInteger covered = big(balance).multiply(big(seconds)).multiply(big(10));
        for (DiscountLevel level : levels) {
            if (covered.compareTo(big(level.monthsTenths()).multiply(big(amount)).multiply(big(SECONDS_PER_MONTH))) >= 0) {
                return level.percentPaid();
            }
        }
        return 100;
    }

    static long percentOf(long amount, int percent) {
        return big(amount).multiply(big(percent)).divide(big(100)).longValueExact();
    }

    /** Seconds of {@code [from, to)} that lie in uptime windows the node attested. */
    static long liveSeconds(Node node, long from, long to, long window) {
        long live = 0;
        for (long w : node.attestedWindows()) {
            long start = Math.max(from, w * window);
            long end = Math.min(to, (w + 1) * window);
            if (end > start) {
                live += end - start;
            }
        }
        return live;
    }

    private static BigInteger cuSuMilli(Resources r, PricingPolicy p) {
        return big(cuMilli(r)).multiply(big(p.cuPerHour())).add(big(suMilli(r)).multiply(big(p.suPerHour())));
    }

    /** Adds amounts owed without overflow: a debt beyond 2^63 is as unpayable as one at it. */
    static long addCapped(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }

    /** {@code a · b · c / d} rounded down, capped at 2^63 − 1. */
    static long mulDiv(long a, long b, long c, long d) {
        return saturate(big(a).multiply(big(b)).multiply(big(c)).divide(big(d)));
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    /** Bills above 2^63 cannot be paid by any balance; clamping keeps the ledger total without throwing. */
    private static long saturate(BigInteger v) {
        return v.bitLength() < 64 ? v.longValue() : Long.MAX_VALUE;
    }
}
