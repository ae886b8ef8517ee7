package dev.quilt.common.codec;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A value using every kind of field the canonical codec has, for its tests. */
record Sample(int tag, int int32, long int64, boolean flag, byte[] blob, String name, Optional<Long> limit, List<Long> ids) {
    static final int MAX_BLOB = 16;
    static final int MAX_NAME = 32;
    static final int MAX_IDS = 8;

    static final CanonicalCodec<Sample> CODEC = new CanonicalCodec<>() {
        @Override
        public void write(Sample s, CanonicalWriter out) {
            out.u8(s.tag()).int32(s.int32()).int64(s.int64()).bool(s.flag())
                    .bytes(s.blob(), MAX_BLOB).string(s.name(), MAX_NAME)
                    .optional(s.limit(), CanonicalWriter::int64)
                    .list(s.ids(), MAX_IDS, CanonicalWriter::int64);
        }

        @Override
        public Sample read(CanonicalReader in) {
            return new Sample(in.u8("tag"), in.int32("int32"), in.int64("int64"), in.bool("flag"),
                    in.bytes("blob", MAX_BLOB), in.string("name", MAX_NAME),
                    in.optional("limit", r -> r.nonNegative("limit")),
                    in.sortedList("ids", MAX_IDS, Comparator.naturalOrder(), r -> r.int64("id")));
        }
    };

    @Override
    public boolean equals(Object o) {
        return o instanceof Sample s && tag == s.tag && int32 == s.int32 && int64 == s.int64 && flag == s.flag
                && Arrays.equals(blob, s.blob) && name.equals(s.name) && limit.equals(s.limit) && ids.equals(s.ids);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, int32, int64, flag, Arrays.hashCode(blob), name, limit, ids);
    }
}
