package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zdb.resp.RespValue;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NamespaceCommandsIT {

    @TempDir
    Path dir;
    ServerFixture zdb;
    RawClient admin;

    @BeforeEach
    void start() throws Exception {
        zdb = new ServerFixture(dir).start();
        admin = zdb.client();
    }

    @AfterEach
    void stop() throws Exception {
        zdb.close();
    }

    @Test
    void nsnewCreatesANamespaceListedAfterDefault() throws Exception {
        assertThat(admin.call("NSNEW", "one")).isEqualTo("+OK\r\n");
        assertThat(admin.call("NSNEW", "one")).isEqualTo("-This namespace is not available\r\n");
        assertThat(admin.call("NSNEW", "default")).isEqualTo("-This name is not allowed\r\n");
        assertThat(admin.call("NSNEW", "a/b")).isEqualTo("-This name is not allowed\r\n");
        assertThat(admin.call("NSNEW", "..")).isEqualTo("-This name is not allowed\r\n");
        assertThat(admin.call("NSNEW", "x".repeat(129))).isEqualTo("-Namespace too long\r\n");
        assertThat(admin.call("NSLIST")).isEqualTo("*2\r\n$7\r\ndefault\r\n$3\r\none\r\n");
    }

    @Test
    void nsinfoShowsDefaultsOfANewNamespaceAndAdminExtras() throws Exception {
        admin.call("NSNEW", "one");
        admin.send("NSINFO", "one");
        String info = ((RespValue.Bulk) admin.value()).utf8();
        assertThat(info).startsWith("# namespace\nname: one\nentries: 0\npublic: yes\nworm: no\nlocked: no\npassword: no\n"
                + "data_size_bytes: 0\ndata_size_mb: 0.00\ndata_limits_bytes: 0\n");
        assertThat(info).contains("mode: userkey\n", "data_path: ", "index_active: ", "data_current_id: 0\n");
        assertThat(admin.call("NSINFO", "missing")).isEqualTo("-Namespace not found\r\n");
    }

    @Test
    void selectSwitchesTheKeySpace() throws Exception {
        admin.call("NSNEW", "one");
        admin.call("SET", "k", "in-default");
        assertThat(admin.call("SELECT", "one")).isEqualTo("+OK\r\n");
        assertThat(admin.call("GET", "k")).isEqualTo("$-1\r\n");
        assertThat(admin.call("SELECT", "missing")).isEqualTo("-Namespace not found\r\n");
        assertThat(admin.call("SELECT")).isEqualTo("-Invalid argument\r\n");
        assertThat(admin.call("SELECT", "a", "b", "c", "d")).isEqualTo("-Too many arguments\r\n");
    }

    @Test
    void aPasswordProtectedPublicNamespaceIsReadOnlyWithoutThePassword() throws Exception {
        admin.call("NSNEW", "guarded");
        admin.call("SELECT", "guarded");
        admin.call("SET", "k", "v");
        assertThat(admin.call("NSSET", "guarded", "password", "secret")).isEqualTo("+OK\r\n");
        RawClient reader = zdb.client();
        assertThat(reader.call("SELECT", "guarded")).isEqualTo("+OK\r\n");
        assertThat(reader.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(reader.call("SET", "k", "w")).isEqualTo("-Namespace is in read-only mode\r\n");
        assertThat(reader.call("DEL", "k")).isEqualTo("-Namespace is in read-only mode\r\n");
        assertThat(reader.call("SELECT", "guarded", "wrong")).isEqualTo("-Access denied\r\n");
        assertThat(reader.call("SELECT", "guarded", "secret")).isEqualTo("+OK\r\n");
        assertThat(reader.call("SET", "k", "w")).isEqualTo("$1\r\nk\r\n");
    }

    @Test
    void aPrivateProtectedNamespaceRefusesSelectWithoutThePassword() throws Exception {
        admin.call("NSNEW", "private");
        admin.call("NSSET", "private", "password", "secret");
        assertThat(admin.call("NSSET", "private", "public", "0")).isEqualTo("+OK\r\n");
        RawClient other = zdb.client();
        assertThat(other.call("SELECT", "private")).isEqualTo("-Namespace protected and private\r\n");
        assertThat(other.call("SELECT", "private", "secret")).isEqualTo("+OK\r\n");
        assertThat(admin.call("NSSET", "private", "password", "*")).isEqualTo("+OK\r\n");
        assertThat(zdb.client().call("SELECT", "private")).isEqualTo("+OK\r\n");
    }

    @Test
    void nssetRefusesDefaultNamespacePropertiesAndUnknownOnes() throws Exception {
        admin.call("NSNEW", "one");
        assertThat(admin.call("NSSET", "default", "maxsize", "10")).isEqualTo("-Cannot update default namespace\r\n");
        assertThat(admin.call("NSSET", "default", "password", "x")).isEqualTo("-Cannot update default namespace\r\n");
        assertThat(admin.call("NSSET", "one", "colour", "blue")).isEqualTo("-Invalid property\r\n");
        assertThat(admin.call("NSSET", "missing", "worm", "1")).isEqualTo("-Namespace not found\r\n");
        assertThat(admin.call("NSSET", "one", "password", "x".repeat(64))).isEqualTo("-Argument too long\r\n");
        assertThat(admin.call("NSSET", "one", "mode", "other")).isEqualTo("-Invalid property value (expected: user, seq)\r\n");
        assertThat(admin.call("NSSET", "one")).isEqualTo("-Missing arguments\r\n");
    }

    @Test
    void wormKeepsExistingKeysButAcceptsNewOnes() throws Exception {
        admin.call("NSNEW", "worm");
        admin.call("NSSET", "worm", "worm", "1");
        admin.call("SELECT", "worm");
        assertThat(admin.call("SET", "k", "v")).isEqualTo("$1\r\nk\r\n");
        assertThat(admin.call("SET", "k", "w")).isEqualTo("-Namespace is protected by worm mode\r\n");
        assertThat(admin.call("DEL", "k")).isEqualTo("-Cannot delete a key when namespace is in worm mode\r\n");
        assertThat(admin.call("SET", "k2", "v")).isEqualTo("$2\r\nk2\r\n");
    }

    @Test
    void maxsizeLimitsLivePayloadBytes() throws Exception {
        admin.call("NSNEW", "small");
        admin.call("NSSET", "small", "maxsize", "10");
        admin.call("SELECT", "small");
        assertThat(admin.call("SET", "a", "12345678")).isEqualTo("$1\r\na\r\n");
        assertThat(admin.call("SET", "b", "123")).isEqualTo("-No space left on this namespace\r\n");
        assertThat(admin.call("SET", "a", "1234567890")).isEqualTo("$1\r\na\r\n");
    }

    @Test
    void lockRefusesWritesAndFreezeRefusesReadsToo() throws Exception {
        admin.call("NSNEW", "ns");
        admin.call("SELECT", "ns");
        admin.call("SET", "k", "v");
        assertThat(admin.call("NSSET", "ns", "lock", "1")).isEqualTo("+OK\r\n");
        assertThat(admin.call("SET", "k", "w")).isEqualTo("-Namespace is temporarily locked (read-only)\r\n");
        assertThat(admin.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(admin.call("NSSET", "ns", "freeze", "1")).isEqualTo("+OK\r\n");
        assertThat(admin.call("GET", "k")).isEqualTo("-Namespace is temporarily frozen (read-write disabled)\r\n");
        assertThat(admin.call("SCAN")).isEqualTo("-Namespace is temporarily frozen (read-write disabled)\r\n");
        assertThat(admin.call("SET", "k", "w")).isEqualTo("-Namespace is temporarily frozen (read-write disabled)\r\n");
        assertThat(admin.call("DBSIZE")).isEqualTo(":1\r\n");
        admin.send("NSINFO", "ns");
        assertThat(((RespValue.Bulk) admin.value()).utf8()).contains("locked: yes\n");
        assertThat(admin.call("NSSET", "ns", "freeze", "0")).isEqualTo("+OK\r\n");
        assertThat(admin.call("SET", "k", "w")).isEqualTo("$1\r\nk\r\n");
    }

    @Test
    void nsdelDisconnectsOtherClientsStillUsingTheNamespace() throws Exception {
        admin.call("NSNEW", "doomed");
        RawClient user = zdb.client();
        user.call("SELECT", "doomed");
        assertThat(user.call("NSDEL", "doomed")).isEqualTo("-Cannot remove namespace you're currently using.\r\n");
        assertThat(admin.call("NSDEL", "doomed")).isEqualTo("+OK\r\n");
        assertThat(admin.call("NSDEL", "doomed")).isEqualTo("-This namespace doesn't exists\r\n");
        assertThat(admin.call("NSDEL", "default")).isEqualTo("-Cannot remove default namespace\r\n");
        assertThat(user.call("GET", "k")).isEqualTo("-Your active namespace is not available anymore (probably removed).\r\n");
        assertThat(user.closedByServer()).isTrue();
    }

    @Test
    void flushNeedsAPrivatePasswordProtectedNamespaceAndReallyDeletes() throws Exception {
        assertThat(admin.call("FLUSH")).isEqualTo("-Flushing public namespace denied\r\n");
        admin.call("NSNEW", "ns");
        admin.call("NSSET", "ns", "password", "pw");
        admin.call("SELECT", "ns", "pw");
        admin.call("SET", "k", "v");
        assertThat(admin.call("FLUSH")).isEqualTo("-Flushing public namespace denied\r\n");
        admin.call("NSSET", "ns", "public", "0");
        assertThat(admin.call("FLUSH")).isEqualTo("+OK\r\n");
        assertThat(admin.call("DBSIZE")).isEqualTo(":0\r\n");
        assertThat(admin.call("GET", "k")).isEqualTo("$-1\r\n");
    }

    @Test
    void nsjumpAndReloadAnswerOk() throws Exception {
        admin.call("SET", "k", "v");
        assertThat(admin.call("NSJUMP")).isEqualTo("+OK\r\n");
        assertThat(admin.call("RELOAD", "default")).isEqualTo("+OK\r\n");
        assertThat(admin.call("GET", "k")).isEqualTo("$1\r\nv\r\n");
        assertThat(admin.call("RELOAD", "missing")).isEqualTo("-Namespace not found\r\n");
    }

    @Test
    void adminExtrasAnswerAsDocumented() throws Exception {
        assertThat(admin.call("INDEX", "DIRTY")).isEqualTo("*0\r\n");
        assertThat(admin.call("INDEX", "DIRTY", "RESET")).isEqualTo("+OK\r\n");
        assertThat(admin.call("INDEX", "CLEAN")).isEqualTo("-Unknown INDEX subcommand\r\n");
        assertThat(admin.call("INDEX", "DIRTY", "NOW")).isEqualTo("-Unknown INDEX DIRTY subcommand\r\n");
        assertThat(admin.call("DATA", "COOKED")).isEqualTo("-Unknown DATA subcommand\r\n");
        assertThat(admin.call("DATA", "RAW", "0")).isEqualTo("-Invalid Request\r\n");
        assertThat(admin.call("MASTER")).isEqualTo("-Replication is not supported by this server\r\n");
        assertThat(admin.call("MIRROR")).isEqualTo("-Replication is not supported by this server\r\n");
        assertThat(admin.call("HOOKS")).isEqualTo("*0\r\n");
    }

    @Test
    void dataRawAnswersEofAtTheEndOfTheActiveDataFile() throws Exception {
        admin.call("SET", "k", "value");
        admin.send("NSINFO", "default");
        String info = ((RespValue.Bulk) admin.value()).utf8();
        String offset = info.lines().filter(l -> l.startsWith("data_current_offset: ")).findFirst().orElseThrow()
                .substring("data_current_offset: ".length());
        assertThat(admin.call("DATA", "RAW", "0", offset)).isEqualTo("-EOF\r\n");
        assertThat(admin.call("DATA", "RAW", "0", "1")).isEqualTo("-Unexpected Internal Error\r\n");
    }

    @Test
    void compactAnswersWithASummaryOnceDone() throws Exception {
        admin.call("SET", "k", "v1");
        admin.call("SET", "k", "v2");
        assertThat(admin.call("COMPACT")).startsWith("+OK files=");
        assertThat(admin.call("COMPACT", "missing")).isEqualTo("-Namespace not found\r\n");
        assertThat(admin.call("GET", "k")).isEqualTo("$2\r\nv2\r\n");
    }

    @Test
    void modeChangesOnlyOnAFreshNamespaceInMixedMode() throws Exception {
        admin.call("NSNEW", "seq");
        assertThat(admin.call("NSSET", "seq", "mode", "seq")).isEqualTo("+OK\r\n");
        admin.send("NSINFO", "seq");
        assertThat(((RespValue.Bulk) admin.value()).utf8()).contains("mode: sequential\n");
        admin.call("SELECT", "seq");
        assertThat(admin.replyBytesOf("SET", "", "v")).hasSize(14);
        assertThat(admin.call("NSSET", "seq", "mode", "user")).isEqualTo("-Cannot change mode of used namespace\r\n");
    }
}
