package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zdb.resp.RespValue;
import dev.quilt.zdb.store.Mode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyCommandsIT {

    @TempDir
    Path dir;
    ServerFixture zdb;

    @AfterEach
    void stop() throws Exception {
        if (zdb != null) {
            zdb.close();
        }
    }

    private RawClient userMode() throws Exception {
        zdb = new ServerFixture(dir).mode(Mode.USER).start();
        return zdb.client();
    }

    @Test
    void setAnswersTheKeyAndAnIdenticalValueAnswersNil() throws Exception {
        RawClient c = userMode();
        assertThat(c.call("SET", "hello", "world")).isEqualTo("$5\r\nhello\r\n");
        assertThat(c.call("SET", "hello", "world")).isEqualTo("$-1\r\n");
        assertThat(c.call("SETX", "hello", "again")).isEqualTo("$5\r\nhello\r\n");
        assertThat(c.call("GET", "hello")).isEqualTo("$5\r\nagain\r\n");
        assertThat(c.call("SET", "empty", "")).isEqualTo("$5\r\nempty\r\n");
        assertThat(c.call("GET", "empty")).isEqualTo("$0\r\n\r\n");
    }

    @Test
    void setRefusesBadShapes() throws Exception {
        RawClient c = userMode();
        assertThat(c.call("SET", "k")).isEqualTo("-Unexpected arguments\r\n");
        assertThat(c.call("SET", "k", "v", "1", "2")).isEqualTo("-Unexpected arguments\r\n");
        assertThat(c.call("SET", "x".repeat(256), "v")).isEqualTo("-Key too large\r\n");
        assertThat(c.call("SET", "", "v")).isEqualTo("-Invalid argument, key needed\r\n");
    }

    @Test
    void adminSetWithTimestampStoresThatTimestamp() throws Exception {
        RawClient c = userMode();
        assertThat(c.call("SET", "k", "v", "1234567")).isEqualTo("$1\r\nk\r\n");
        assertThat(c.call("KEYTIME", "k")).isEqualTo(":1234567\r\n");
    }

    @Test
    void getMgetExistsLengthAnswerPerKey() throws Exception {
        RawClient c = userMode();
        c.call("SET", "a", "1");
        c.call("SET", "b", "22");
        assertThat(c.call("GET", "missing")).isEqualTo("$-1\r\n");
        assertThat(c.call("GET", "")).isEqualTo("-Invalid argument\r\n");
        assertThat(c.call("GET", "x".repeat(256))).isEqualTo("-Invalid key\r\n");
        assertThat(c.call("MGET", "a", "missing", "b")).isEqualTo("*3\r\n$1\r\n1\r\n$-1\r\n$2\r\n22\r\n");
        assertThat(c.call("MGET")).isEqualTo("-Invalid arguments\r\n");
        assertThat(c.call("EXISTS", "a")).isEqualTo(":1\r\n");
        assertThat(c.call("EXISTS", "missing")).isEqualTo(":0\r\n");
        assertThat(c.call("LENGTH", "b")).isEqualTo(":2\r\n");
        assertThat(c.call("LENGTH", "missing")).isEqualTo("$-1\r\n");
        assertThat(c.call("CHECK", "a")).isEqualTo(":1\r\n");
        assertThat(c.call("CHECK", "missing")).isEqualTo("$-1\r\n");
        assertThat(c.call("KEYTIME", "missing")).isEqualTo("$-1\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":2\r\n");
    }

    @Test
    void delRemovesOnceThenAnswersKeyNotFound() throws Exception {
        RawClient c = userMode();
        c.call("SET", "a", "1");
        assertThat(c.call("DEL", "a")).isEqualTo("+OK\r\n");
        assertThat(c.call("DEL", "a")).isEqualTo("-Key not found\r\n");
        assertThat(c.call("GET", "a")).isEqualTo("$-1\r\n");
        assertThat(c.call("DBSIZE")).isEqualTo(":0\r\n");
    }

    @Test
    void keycurAnswersA17ByteCursorThatScanContinuesFrom() throws Exception {
        RawClient c = userMode();
        c.call("SET", "a", "1");
        c.call("SET", "b", "2");
        assertThat(c.call("KEYCUR", "missing")).isEqualTo("-Key not found\r\n");
        c.send("KEYCUR", "a");
        RespValue.Bulk cursor = (RespValue.Bulk) c.value();
        assertThat(cursor.bytes()).hasSize(17);
        c.send("SCAN", cursor.bytes());
        RespValue.Array batch = (RespValue.Array) c.value();
        RespValue.Array entries = (RespValue.Array) batch.elements().get(1);
        assertThat(entries.elements()).hasSize(1);
        assertThat(((RespValue.Array) entries.elements().get(0)).elements().get(0)).isEqualTo(RespValue.bulk("b"));
    }

    @Test
    void scanWalksEveryLiveKeyInWriteOrderThenAnswersNoMoreData() throws Exception {
        RawClient c = userMode();
        assertThat(c.call("SCAN")).isEqualTo("-No more data\r\n");
        c.call("SET", "a", "1", "100");
        c.call("SET", "b", "22", "200");
        c.call("SET", "c", "333", "300");
        c.call("SET", "a", "changed", "400");
        c.call("DEL", "b");
        c.send("SCAN");
        RespValue.Array batch = (RespValue.Array) c.value();
        assertThat(((RespValue.Bulk) batch.elements().get(0)).bytes()).hasSize(17);
        assertThat(batch.elements().get(1)).isEqualTo(RespValue.array(
                RespValue.array(RespValue.bulk("c"), RespValue.integer(3), RespValue.integer(300)),
                RespValue.array(RespValue.bulk("a"), RespValue.integer(7), RespValue.integer(400))));
        c.send("SCAN", ((RespValue.Bulk) batch.elements().get(0)).bytes());
        assertThat(c.reply()).isEqualTo("-No more data\r\n");
        assertThat(c.call("SCAN", "short")).isEqualTo("-Invalid key format\r\n");
        assertThat(c.call("SCANX", "short")).isEqualTo("-Invalid key format\r\n");
    }

    @Test
    void rscanWalksBackwardFromTheNewestEntry() throws Exception {
        RawClient c = userMode();
        c.call("SET", "a", "1", "100");
        c.call("SET", "b", "2", "200");
        c.send("RSCAN");
        RespValue.Array batch = (RespValue.Array) c.value();
        List<RespValue> entries = ((RespValue.Array) batch.elements().get(1)).elements();
        assertThat(((RespValue.Array) entries.get(0)).elements().get(0)).isEqualTo(RespValue.bulk("b"));
    }

    @Test
    void historyWalksOlderVersionsWithBulkTimestamps() throws Exception {
        RawClient c = userMode();
        c.call("SET", "k", "v1", "100");
        c.call("SET", "k", "v2", "200");
        c.send("HISTORY", "k");
        RespValue.Array current = (RespValue.Array) c.value();
        assertThat(current.elements().get(1)).isEqualTo(RespValue.bulk("200"));
        assertThat(current.elements().get(2)).isEqualTo(RespValue.bulk("v2"));
        byte[] ekey = ((RespValue.Bulk) current.elements().get(0)).bytes();
        assertThat(ekey).hasSize(8);
        assertThat(c.replyBytesOf("HISTORY", "k", ekey)).asString()
                .isEqualTo("*3\r\n$-1\r\n$3\r\n100\r\n$2\r\nv1\r\n");
        assertThat(c.call("HISTORY", "k", new byte[8])).isEqualTo("-No more history\r\n");
        assertThat(c.call("HISTORY", "k", "short")).isEqualTo("-Invalid arguments\r\n");
        assertThat(c.call("HISTORY", "missing")).isEqualTo("-Key not found\r\n");
        assertThat(c.call("HISTORY")).isEqualTo("-Invalid arguments\r\n");
    }

    @Test
    void kscanAnswersLikeAReleaseBuild() throws Exception {
        RawClient c = userMode();
        assertThat(c.call("KSCAN", "a")).isEqualTo("-Command disabled in release code, not yet available\r\n");
    }

    @Test
    void timeAnswersSecondsAndMicrosecondsAsBulkStrings() throws Exception {
        RawClient c = userMode();
        assertThat(c.call("TIME")).matches("\\*2\r\n\\$\\d+\r\n\\d+\r\n\\$\\d+\r\n\\d+\r\n");
    }

    @Test
    void infoListsTheSpecSections() throws Exception {
        RawClient c = userMode();
        c.send("INFO");
        String info = ((RespValue.Bulk) c.value()).utf8();
        assertThat(info).contains("# server\n", "# clients\n", "# internals\n", "# stats\n", "sequential_key_size: 8\n",
                "data_version: 3\n", "index_version: 4\n", "commands_executed: ", "network_rx_bytes: ", "clients_lifetime: ");
    }

    @Test
    void seqModeAppendsIdsAndOnlyUpdatesExistingOnes() throws Exception {
        zdb = new ServerFixture(dir).mode(Mode.SEQ).start();
        RawClient c = zdb.client();
        assertThat(c.replyBytesOf("SET", "", "first")).containsExactly(
                '$', '8', '\r', '\n', 0, 0, 0, 0, 0, 0, 0, 0, '\r', '\n');
        byte[] id0 = new byte[8];
        assertThat(c.call("GET", id0)).isEqualTo("$5\r\nfirst\r\n");
        assertThat(c.call("SET", "nope", "x")).isEqualTo("-Invalid key, only update authorized\r\n");
        assertThat(c.call("SET", id0, "second")).isEqualTo("$8\r\n\0\0\0\0\0\0\0\0\r\n");
        assertThat(c.call("GET", id0)).isEqualTo("$6\r\nsecond\r\n");
    }

    @Test
    void modeCannotChangeWhenTheServerForcesOne() throws Exception {
        RawClient c = userMode();
        c.call("NSNEW", "x");
        assertThat(c.call("NSSET", "x", "mode", "seq"))
                .isEqualTo("-This server instance is configured to use a single runtime mode\r\n");
    }
}
