package dev.quilt.chain;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.quilt.common.crypto.Ed25519PublicKey;
import dev.quilt.common.crypto.Hash256;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JSON view of ledger values for the HTTP API: keys and hashes as lowercase hex, byte arrays
 * as hex, and each value of a sealed type tagged with {@code "type"}: its record's simple name.
 * JSON is only ever a view: what is signed or hashed is the canonical binary encoding.
 */
final class ChainJson {
    private ChainJson() {}

    @JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
    private interface Tagged {}

    static ObjectMapper mapper() {
        SimpleModule hex = new SimpleModule("quilt-hex");
        hex.addSerializer(Hash256.class, asHex(Hash256.class, Hash256::bytes));
        hex.addSerializer(Ed25519PublicKey.class, asHex(Ed25519PublicKey.class, Ed25519PublicKey::bytes));
        hex.addSerializer(byte[].class, asHex(byte[].class, b -> b));
        // Optional fields (a twin's endpoint, a proof's leaf) as their value, or null when empty.
        hex.addSerializer(new StdSerializer<Optional<?>>(Optional.class, false) {
            @Override
            public void serialize(Optional<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                provider.defaultSerializeValue(value.orElse(null), gen);
            }
        });
        ObjectMapper mapper = new ObjectMapper().registerModule(hex).disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
        for (Class<?> sealed : new Class<?>[] {ContractState.class, ContractKind.class, Outcome.class, Transaction.class,
                Event.class, ProposalAction.class}) {
            mapper.addMixIn(sealed, Tagged.class);
        }
        return mapper;
    }

    private static <T> StdSerializer<T> asHex(Class<T> type, Function<T, byte[]> bytes) {
        return new StdSerializer<>(type) {
            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(HexFormat.of().formatHex(bytes.apply(value)));
            }
        };
    }
}
