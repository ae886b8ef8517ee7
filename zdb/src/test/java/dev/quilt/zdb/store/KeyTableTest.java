package dev.quilt.zdb.store;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class KeyTableTest {

    private static Location loc(long n) {
        return new Location(n % 7, n, n % 1000, n, (int) n * 31, (int) n * 17);
    }

    @Property(tries = 20)
    void behavesLikeAHashMapUnderRandomPutsAndRemoves(@ForAll @IntRange(min = 0, max = 1 << 20) int seed) {
        Random rnd = new Random(seed);
        KeyTable table = new KeyTable();
        Map<String, Location> model = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            String k = "k" + rnd.nextInt(3000);
            byte[] key = k.getBytes(StandardCharsets.UTF_8);
            if (rnd.nextInt(3) == 0) {
                assertThat(table.remove(key)).isEqualTo(model.remove(k) != null);
            } else {
                Location l = loc(rnd.nextInt(1 << 30));
                table.put(key, l);
                model.put(k, l);
            }
        }
        assertThat(table.size()).isEqualTo(model.size());
        model.forEach((k, v) -> assertThat(table.get(k.getBytes(StandardCharsets.UTF_8))).isEqualTo(v));
        Map<String, Location> seen = new HashMap<>();
        table.forEach((k, v) -> seen.put(new String(k, StandardCharsets.UTF_8), v));
        assertThat(seen).isEqualTo(model);
    }

    @Test
    void removingMostKeysRewritesTheArenaAndKeepsTheRest() {
        KeyTable table = new KeyTable();
        for (int i = 0; i < 200_000; i++) {
            table.put(("key-" + i).getBytes(StandardCharsets.UTF_8), loc(i));
        }
        long full = table.memoryBytes();
        for (int i = 0; i < 200_000; i++) {
            if (i % 10 != 0) {
                table.remove(("key-" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
        assertThat(table.memoryBytes()).isLessThan(full);
        for (int i = 0; i < 200_000; i += 10) {
            assertThat(table.get(("key-" + i).getBytes(StandardCharsets.UTF_8))).isEqualTo(loc(i));
        }
        assertThat(table.size()).isEqualTo(20_000);
    }

    @Test
    void reportsBytesPerKeyForAMillionKeys() {
        KeyTable table = new KeyTable();
        int n = 1_000_000;
        byte[] key = new byte[16];
        for (int i = 0; i < n; i++) {
            Bytes.put64(key, 0, i);
            Bytes.put64(key, 8, ~i);
            table.put(key, loc(i));
        }
        double perKey = (double) table.memoryBytes() / n;
        System.out.printf("KeyTable: %d keys of 16 bytes, %.1f bytes per key (%.1f excluding the key)%n",
                n, perKey, perKey - 16);
        assertThat(table.size()).isEqualTo(n);
        assertThat(perKey - 16).isLessThan(64);
    }
}
