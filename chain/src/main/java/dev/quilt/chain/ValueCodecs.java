package dev.quilt.chain;

import dev.quilt.common.codec.CanonicalReader;
import dev.quilt.common.codec.CanonicalWriter;
import dev.quilt.common.codec.CodecException;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.util.function.Supplier;

/** Canonical encodings of the small values transactions and state share. */
final class ValueCodecs {
    private ValueCodecs() {}

    static void key(CanonicalWriter out, Ed25519PublicKey key) {
        out.fixed(key.bytes(), Ed25519PublicKey.LENGTH);
    }

    static Ed25519PublicKey key(CanonicalReader in, String field) {
        return Ed25519PublicKey.of(in.fixed(field, Ed25519PublicKey.LENGTH));
    }

    static void hash(CanonicalWriter out, Hash256 hash) {
        out.fixed(hash.bytes(), Hash256.LENGTH);
    }

    static Hash256 hash(CanonicalReader in, String field) {
        return Hash256.of(in.fixed(field, Hash256.LENGTH));
    }

    /** cru, mru, sru, hru: four non-negative int64. */
    static void resources(CanonicalWriter out, Resources r) {
        out.int64(r.cru()).int64(r.mru()).int64(r.sru()).int64(r.hru());
    }

    static Resources resources(CanonicalReader in, String field) {
        return new Resources(in.nonNegative(field + ".cru"), in.nonNegative(field + ".mru"),
                in.nonNegative(field + ".sru"), in.nonNegative(field + ".hru"));
    }

    static void location(CanonicalWriter out, Location l) {
        out.string(l.country(), Location.MAX_COUNTRY).string(l.city(), Location.MAX_CITY);
    }

    static Location location(CanonicalReader in) {
        return new Location(in.string("location.country", Location.MAX_COUNTRY), in.string("location.city", Location.MAX_CITY));
    }

    static void pricingPolicy(CanonicalWriter out, PricingPolicy p) {
        out.int64(p.id()).string(p.name(), PricingPolicy.MAX_NAME).int64(p.cuPerHour()).int64(p.suPerHour())
                .int64(p.nuPerGib()).int64(p.ipv4PerHour()).int64(p.uniqueNamePerHour()).u8(p.dedicatedPercentPaid());
    }

    static PricingPolicy pricingPolicy(CanonicalReader in) {
        int at = in.offset();
        long id = in.nonNegative("policy.id");
        String name = in.string("policy.name", PricingPolicy.MAX_NAME);
        long cu = in.nonNegative("policy.cu");
        long su = in.nonNegative("policy.su");
        long nu = in.nonNegative("policy.nu");
        long ipv4 = in.nonNegative("policy.ipv4");
        long uniqueName = in.nonNegative("policy.uniqueName");
        int dedicated = in.u8("policy.dedicatedPercentPaid");
        return construct("policy", at, () -> new PricingPolicy(id, name, cu, su, nu, ipv4, uniqueName, dedicated));
    }

    /**
     * Builds a decoded record whose constructor validates more than the encoding can express (a
     * positive id, a percentage ≤ 100); its refusal becomes a {@link CodecException}, so decoders
     * throw nothing else.
     */
    static <T> T construct(String field, int offset, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            throw new CodecException(field, offset, e.getMessage());
        }
    }
}
