package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitIT {

    @TempDir
    Path dir;
    ServerFixture zdb;

    @BeforeEach
    void start() throws Exception {
        zdb = new ServerFixture(dir).start();
    }

    @AfterEach
    void stop() throws Exception {
        zdb.close();
    }

    /** Runs {@code command} from {@code other} until the waiter has a reply (the WAIT may not be registered yet). */
    private static void poke(RawClient waiter, RawClient other, Object... command) throws Exception {
        Poll.until(() -> {
            try {
                other.call(command);
                return waiter.hasReplyPending();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, pending -> pending, "the waiter's reply");
    }

    @Test
    void waitAnswersTheNameOfTheCommandAnotherClientRan() throws Exception {
        RawClient waiter = zdb.client();
        RawClient other = zdb.client();
        waiter.send("WAIT", "SET", "60000");
        poke(waiter, other, "SET", "k", "v");
        assertThat(waiter.reply()).isEqualTo("+SET\r\n");
        assertThat(waiter.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void waitStarMatchesAnyCommandAndPrefixesResolveToTheCanonicalName() throws Exception {
        RawClient waiter = zdb.client();
        RawClient other = zdb.client();
        waiter.send("WAIT", "*", "60000");
        poke(waiter, other, "G", "k");
        assertThat(waiter.reply()).isEqualTo("+GET\r\n");
    }

    @Test
    void waitTimesOutWhenNothingHappensInItsNamespace() throws Exception {
        RawClient admin = zdb.client();
        admin.call("NSNEW", "quiet");
        RawClient waiter = zdb.client();
        waiter.call("SELECT", "quiet");
        waiter.send("WAIT", "*", "100");
        admin.call("SET", "k", "v");
        assertThat(waiter.reply()).isEqualTo("-Timeout\r\n");
    }

    @Test
    void waitRefusesBadArguments() throws Exception {
        RawClient c = zdb.client();
        assertThat(c.call("WAIT")).isEqualTo("-Invalid arguments\r\n");
        assertThat(c.call("WAIT", "NOPE")).isEqualTo("-Unknown command to watch\r\n");
        assertThat(c.call("WAIT", "SET", "99")).isEqualTo("-Invalid timeout\r\n");
        assertThat(c.call("WAIT", "SET", "1800001")).isEqualTo("-Invalid timeout\r\n");
        assertThat(c.call("WAIT", "SET", "1".repeat(17))).isEqualTo("-Invalid timeout\r\n");
    }

    @Test
    void aDisconnectedWaiterIsForgotten() throws Exception {
        RawClient waiter = zdb.client();
        waiter.send("WAIT", "SET", "60000");
        waiter.abort();
        RawClient other = zdb.client();
        assertThat(other.call("SET", "k", "v")).isEqualTo("$1\r\nk\r\n");
        assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
    }

    @Test
    void commandsPipelinedBehindAWaitAreAnsweredInOrderAfterIt() throws Exception {
        RawClient waiter = zdb.client();
        RawClient other = zdb.client();
        StringBuilder batch = new StringBuilder("*3\r\n$4\r\nWAIT\r\n$3\r\nDEL\r\n$5\r\n60000\r\n");
        for (int i = 0; i < 3000; i++) {
            batch.append("*1\r\n$4\r\nPING\r\n");
        }
        waiter.sendRaw(batch.toString());
        poke(waiter, other, "DEL", "k");
        assertThat(waiter.reply()).isEqualTo("+DEL\r\n");
        for (int i = 0; i < 3000; i++) {
            assertThat(waiter.reply()).isEqualTo("+PONG\r\n");
        }
    }
}
