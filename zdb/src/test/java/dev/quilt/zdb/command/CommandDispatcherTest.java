package dev.quilt.zdb.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.common.metrics.MetricsRegistry;
import dev.quilt.zdb.resp.RespValue;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.store.StoreListener;
import dev.quilt.zdb.testing.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command layer alone, over the in-memory store double, without a network. */
class CommandDispatcherTest {

    private ScheduledExecutorService loop;
    private CommandDispatcher dispatcher;
    private ServerStats stats;

    @BeforeEach
    void setUp() {
        loop = Executors.newSingleThreadScheduledExecutor();
        stats = new ServerStats();
        InMemoryStore store = new InMemoryStore(StoreConfig.defaults(Path.of("data"), Path.of("index")), StoreListener.NONE);
        CommandEnvironment env = new CommandEnvironment(store, Optional.of("root"), false, loop, Runnable::run,
                StoreListener.NONE, List::of, stats, new MetricsRegistry(),
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC), new Random(1), 7, 1_700_000_000);
        dispatcher = new CommandDispatcher(env);
    }

    @AfterEach
    void tearDown() {
        loop.shutdownNow();
    }

    private RespValue run(Session session, String... args) {
        List<byte[]> request = new ArrayList<>();
        for (String arg : args) {
            request.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        Reply reply = dispatcher.dispatch(session, request);
        return reply.value() != null ? reply.value() : reply.later().join();
    }

    @Test
    void resolvesPrefixesToTheFirstEntryInTableOrder() {
        Session s = dispatcher.newSession("test");
        run(s, "AUTH", "root");
        assertThat(run(s, "s", "k", "v")).isEqualTo(RespValue.bulk("k"));
        assertThat(run(s, "SETX", "k", "w")).isEqualTo(RespValue.bulk("k"));
        assertThat(run(s, "G", "k")).isEqualTo(RespValue.bulk("w"));
        assertThat(run(s, "ns")).isEqualTo(RespValue.error("Missing arguments"));
        assertThat(run(s, "NSL")).isEqualTo(RespValue.array(RespValue.bulk("default")));
        assertThat(run(s, "COMPACTION")).isEqualTo(RespValue.error("Command not supported"));
    }

    @Test
    void stampsWritesWithTheInjectedClock() {
        Session s = dispatcher.newSession("test");
        run(s, "SET", "k", "v");
        assertThat(run(s, "KEYTIME", "k")).isEqualTo(RespValue.integer(1_700_000_000));
    }

    @Test
    void countsExecutedFailedAndUnauthorizedCommands() {
        Session s = dispatcher.newSession("test");
        run(s, "PING");
        run(s, "NSNEW", "x");
        run(s, "GET", "");
        assertThat(stats.commandsExecuted.get()).isEqualTo(3);
        assertThat(stats.commandsFailed.get()).isEqualTo(2);
        assertThat(stats.commandsUnauthorized.get()).isEqualTo(1);
    }

    @Test
    void wakesAWaiterOfTheSameNamespaceOnlyFromAnotherSession() {
        Session waiter = dispatcher.newSession("a");
        Session other = dispatcher.newSession("b");
        Reply wait = dispatcher.dispatch(waiter, List.of("WAIT".getBytes(StandardCharsets.US_ASCII),
                "DEL".getBytes(StandardCharsets.US_ASCII), "60000".getBytes(StandardCharsets.US_ASCII)));
        run(waiter, "DEL", "k");
        assertThat(wait.later()).isNotDone();
        run(other, "DEL", "k");
        assertThat(wait.later().join()).isEqualTo(RespValue.simple("DEL"));
    }

    @Test
    void authSecureNonceIsSixteenLowercaseHexCharacters() {
        Session s = dispatcher.newSession("test");
        RespValue reply = run(s, "AUTH", "SECURE", "CHALLENGE");
        assertThat(((RespValue.SimpleString) reply).value()).matches("[0-9a-f]{16}");
        assertThat(s.nonce()).isEqualTo(((RespValue.SimpleString) reply).value());
    }
}
