package dev.quilt.zdb.store;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Child process for {@link StoreCrashIT}: writes keys forever, acknowledging each on stdout only after
 * {@link Store#flush()}, until it is killed.
 */
public final class CrashWriter {
    private CrashWriter() { }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int start = Integer.parseInt(args[1]);
        Store store = Store.open(StoreFixture.config(dir, Optional.empty(), StoreFixture.SMALL_FILES),
                StoreListener.NONE, Runnable::run);
        Namespace ns = store.namespace(Store.DEFAULT_NAMESPACE).orElseThrow();
        for (int i = start; ; i++) {
            ns.set(StoreCrashIT.key(i), StoreCrashIT.value(i), i);
            if (i % 3 == 0) {
                ns.delete(StoreCrashIT.key(i - 1), i);
            }
            store.flush();
            System.out.println("ack " + i);
            System.out.flush();
        }
    }
}
