package dev.quilt.chain;

/**
 * Compute and storage amounts: {@code cru} logical CPUs; {@code mru} memory, {@code sru} SSD and
 * {@code hru} HDD in bytes. Used for a node's measured capacity, its reserved capacity, a
 * contract's requested resources and a node's usage report. All fields are ≥ 0.
 */
public record Resources(long cru, long mru, long sru, long hru) {
    public static final Resources ZERO = new Resources(0, 0, 0, 0);
    public static final long GIB = 1L << 30;

    public Resources {
        if (cru < 0 || mru < 0 || sru < 0 || hru < 0) {
            throw new IllegalArgumentException("resources must be non-negative: " + cru + "/" + mru + "/" + sru + "/" + hru);
        }
    }

    public Resources plus(Resources o) {
        return new Resources(Math.addExact(cru, o.cru), Math.addExact(mru, o.mru),
                Math.addExact(sru, o.sru), Math.addExact(hru, o.hru));
    }

    public Resources minus(Resources o) {
        return new Resources(cru - o.cru, mru - o.mru, sru - o.sru, hru - o.hru);
    }

    /** True when every field is ≤ the same field of {@code limit}. */
    public boolean fitsIn(Resources limit) {
        return cru <= limit.cru && mru <= limit.mru && sru <= limit.sru && hru <= limit.hru;
    }

    /**
     * The first field in which {@code this} exceeds {@code limit}, as "mru 8 > 4" (for refusal
     * reasons), or the empty string when it fits.
     */
    String firstExcess(Resources limit) {
        if (cru > limit.cru) {
            return "cru " + cru + " > " + limit.cru;
        }
        if (mru > limit.mru) {
            return "mru " + mru + " > " + limit.mru;
        }
        if (sru > limit.sru) {
            return "sru " + sru + " > " + limit.sru;
        }
        if (hru > limit.hru) {
            return "hru " + hru + " > " + limit.hru;
        }
        return "";
    }
}
