package dev.quilt.zdb.store;

import java.util.Arrays;

/**
 * The user-mode memory index: key to {@link Location}, as an open-addressing hash table over a paged
 * byte arena, so that millions of keys cost neither an object nor a {@code HashMap.Node} each.
 *
 * <p><b>Layout.</b> {@code slots} is a power-of-two {@code long[]} probed linearly. A slot is 0 when
 * empty, else {@code hash & ~REF_MASK | (ref + 1)}: the top {@value #HASH_BITS} bits of the key's hash and
 * the arena reference. A key's home slot is the top {@code log2(capacity)} bits of its hash, so the slot
 * alone knows its home: growing the table and backward-shift deletion never read the arena (up to 2^28
 * slots), which keeps a resize of millions of keys a short, cache-friendly pass over one array on the
 * event loop; the bits beyond the home index reject most mismatches without touching the arena. The arena is a list of
 * {@value #PAGE_SIZE}-byte pages; an entry never spans pages and is:
 * {@code u8 keyLen | key | u32 fileId | u32 offset | u32 payloadLen | u32 timestamp | u32 payloadCrc | u32 headerCrc}.
 *
 * <p><b>Memory.</b> {@code 25 + keyLen} arena bytes per entry plus 8 bytes per slot at a load factor of at
 * most {@value #MAX_LOAD_PERCENT}% (10.7 to 16 slot bytes per key): about {@code 40 + keyLen} bytes per key.
 * Overwrites update the entry in place (same key, same size). Removals use backward-shift deletion (no
 * tombstone slots) and leave their arena bytes as garbage; when garbage outweighs live bytes the arena is
 * rewritten.
 *
 * <p>Not thread-safe: confined to the owner thread.
 */
final class KeyTable {

    /** Arena page size: big enough to amortise, small enough that the last page wastes little. */
    static final int PAGE_SIZE = 1 << 20;
    static final int MAX_LOAD_PERCENT = 75;
    private static final int VALUE_BYTES = 24;
    /** Arena references take the low 36 bits (a 64 GiB arena, over a billion keys). */
    private static final int REF_BITS = 36;
    static final int HASH_BITS = 64 - REF_BITS;
    private static final long REF_MASK = (1L << REF_BITS) - 1;

    private long[] slots = new long[1024];
    private byte[][] pages = new byte[1][];
    private int pageCount;
    private int pageFill = PAGE_SIZE;
    private long size;
    private long liveArenaBytes;
    private long garbageBytes;

    long size() {
        return size;
    }

    long memoryBytes() {
        return (long) slots.length * 8 + (long) pageCount * PAGE_SIZE + (long) pages.length * 8;
    }

    Location get(byte[] key) {
        int slot = find(key, hash(key));
        if (slot < 0) {
            return null;
        }
        return read(slots[slot] & REF_MASK, key.length);
    }

    /** Inserts or overwrites (in place). */
    void put(byte[] key, Location loc) {
        long h = hash(key);
        int slot = find(key, h);
        if (slot >= 0) {
            write((slots[slot] & REF_MASK) - 1 + 1 + key.length, loc);
            return;
        }
        if ((size + 1) * 100 > (long) slots.length * MAX_LOAD_PERCENT) {
            resize(slots.length * 2);
        }
        long ref = allocate(key, loc);
        insertSlot(h, ref);
        size++;
    }

    boolean remove(byte[] key) {
        int slot = find(key, hash(key));
        if (slot < 0) {
            return false;
        }
        int entryBytes = 1 + key.length + VALUE_BYTES;
        garbageBytes += entryBytes;
        liveArenaBytes -= entryBytes;
        deleteSlot(slot);
        size--;
        if (garbageBytes > PAGE_SIZE && garbageBytes > liveArenaBytes) {
            rewriteArena();
        }
        return true;
    }

    void clear() {
        slots = new long[1024];
        pages = new byte[1][];
        pageCount = 0;
        pageFill = PAGE_SIZE;
        size = 0;
        liveArenaBytes = 0;
        garbageBytes = 0;
    }

    /** Visits every entry; the visitor must not modify the table. */
    void forEach(Visitor visitor) {
        for (long s : slots) {
            if (s != 0) {
                long ref = (s & REF_MASK) - 1;
                byte[] page = pages[(int) (ref / PAGE_SIZE)];
                int at = (int) (ref % PAGE_SIZE);
                int keyLen = page[at] & 0xFF;
                byte[] key = Arrays.copyOfRange(page, at + 1, at + 1 + keyLen);
                visitor.visit(key, read(s & REF_MASK, keyLen));
            }
        }
    }

    interface Visitor {
        void visit(byte[] key, Location location);
    }

    private int find(byte[] key, long h) {
        int mask = slots.length - 1;
        long tag = h >>> REF_BITS;
        for (int i = home(h); ; i = (i + 1) & mask) {
            long s = slots[i];
            if (s == 0) {
                return -1;
            }
            if (s >>> REF_BITS == tag && keyEquals((s & REF_MASK) - 1, key)) {
                return i;
            }
        }
    }

    private boolean keyEquals(long ref, byte[] key) {
        byte[] page = pages[(int) (ref / PAGE_SIZE)];
        int at = (int) (ref % PAGE_SIZE);
        if ((page[at] & 0xFF) != key.length) {
            return false;
        }
        return Arrays.equals(page, at + 1, at + 1 + key.length, key, 0, key.length);
    }

    private long hashAt(long ref) {
        byte[] page = pages[(int) (ref / PAGE_SIZE)];
        int at = (int) (ref % PAGE_SIZE);
        int keyLen = page[at] & 0xFF;
        return hash(page, at + 1, keyLen);
    }

    /** The home slot of a hash: its top bits, as many as the capacity needs. */
    private int home(long h) {
        return (int) (h >>> (64 - Integer.numberOfTrailingZeros(slots.length)));
    }

    /** The home slot of an occupied slot, from its stored hash bits (the arena only for giant tables). */
    private int homeOf(long slot) {
        if (Integer.numberOfTrailingZeros(slots.length) <= HASH_BITS) {
            return home(slot & ~REF_MASK);
        }
        return home(hashAt((slot & REF_MASK) - 1));
    }

    private void insertSlot(long h, long ref) {
        placeSlot(home(h), h & ~REF_MASK | (ref + 1));
    }

    private void placeSlot(int home, long slot) {
        int mask = slots.length - 1;
        int i = home;
        while (slots[i] != 0) {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
    }

    /** Backward-shift deletion keeps every probe chain unbroken without tombstones. */
    private void deleteSlot(int hole) {
        int mask = slots.length - 1;
        int i = hole;
        for (int j = (hole + 1) & mask; slots[j] != 0; j = (j + 1) & mask) {
            int home = homeOf(slots[j]);
            // Move slot j into the hole when its home is not cyclically within (hole, j].
            boolean homeBetween = i <= j ? (home > i && home <= j) : (home > i || home <= j);
            if (!homeBetween) {
                slots[i] = slots[j];
                i = j;
            }
        }
        slots[i] = 0;
    }

    private void resize(int capacity) {
        long[] old = slots;
        slots = new long[capacity];
        for (long s : old) {
            if (s != 0) {
                placeSlot(homeOf(s), s);
            }
        }
    }

    private long allocate(byte[] key, Location loc) {
        int entryBytes = 1 + key.length + VALUE_BYTES;
        if (pageFill + entryBytes > PAGE_SIZE) {
            if (pageCount == pages.length) {
                pages = Arrays.copyOf(pages, pages.length * 2);
            }
            pages[pageCount++] = new byte[PAGE_SIZE];
            pageFill = 0;
        }
        long ref = (long) (pageCount - 1) * PAGE_SIZE + pageFill;
        if (ref + entryBytes >= REF_MASK) {
            throw new IllegalStateException("key table arena full: " + ref + " bytes (expected: < " + REF_MASK + ")");
        }
        byte[] page = pages[pageCount - 1];
        page[pageFill] = (byte) key.length;
        System.arraycopy(key, 0, page, pageFill + 1, key.length);
        pageFill += entryBytes;
        liveArenaBytes += entryBytes;
        write(ref + 1 + key.length, loc);
        return ref;
    }

    private void write(long valueRef, Location loc) {
        byte[] page = pages[(int) (valueRef / PAGE_SIZE)];
        int at = (int) (valueRef % PAGE_SIZE);
        Bytes.put32(page, at, loc.fileId());
        Bytes.put32(page, at + 4, loc.offset());
        Bytes.put32(page, at + 8, loc.payloadLen());
        Bytes.put32(page, at + 12, loc.timestamp());
        Bytes.put32(page, at + 16, loc.payloadCrc());
        Bytes.put32(page, at + 20, loc.headerCrc());
    }

    private Location read(long refPlusOne, int keyLen) {
        return readFrom(pages, refPlusOne - 1 + 1 + keyLen);
    }

    private void rewriteArena() {
        long[] oldSlots = slots;
        byte[][] oldPages = pages;
        slots = new long[oldSlots.length];
        pages = new byte[1][];
        pageCount = 0;
        pageFill = PAGE_SIZE;
        liveArenaBytes = 0;
        garbageBytes = 0;
        for (long s : oldSlots) {
            if (s != 0) {
                long ref = (s & REF_MASK) - 1;
                byte[] page = oldPages[(int) (ref / PAGE_SIZE)];
                int at = (int) (ref % PAGE_SIZE);
                int keyLen = page[at] & 0xFF;
                byte[] key = Arrays.copyOfRange(page, at + 1, at + 1 + keyLen);
                Location loc = readFrom(oldPages, ref + 1 + keyLen);
                long newRef = allocate(key, loc);
                insertSlot(hash(key), newRef);
            }
        }
    }

    private static Location readFrom(byte[][] pages, long valueRef) {
        byte[] page = pages[(int) (valueRef / PAGE_SIZE)];
        int at = (int) (valueRef % PAGE_SIZE);
        return new Location(Bytes.u32(page, at), Bytes.u32(page, at + 4), Bytes.u32(page, at + 8),
                Bytes.u32(page, at + 12), Bytes.i32(page, at + 16), Bytes.i32(page, at + 20));
    }

    static long hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /** FNV-1a then a 64-bit finaliser, so both the low bits (slot) and high bits (tag) are well mixed. */
    static long hash(byte[] b, int off, int len) {
        long h = 0xcbf29ce484222325L;
        for (int i = off; i < off + len; i++) {
            h = (h ^ (b[i] & 0xFF)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
