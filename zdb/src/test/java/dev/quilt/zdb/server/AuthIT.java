package dev.quilt.zdb.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthIT {

    @TempDir
    Path dir;
    ServerFixture zdb;

    @AfterEach
    void stop() throws Exception {
        zdb.close();
    }

    private static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String nonce(String reply) {
        assertThat(reply).matches("\\+[0-9a-f]{16}\r\n");
        return reply.substring(1, 17);
    }

    @Test
    void adminCommandsNeedAuthWhenAnAdminPasswordIsSet() throws Exception {
        zdb = new ServerFixture(dir).admin("root").start();
        RawClient c = zdb.client();
        assertThat(c.call("NSNEW", "x")).isEqualTo("-Permission denied\r\n");
        assertThat(c.call("HOOKS")).isEqualTo("-Permission denied\r\n");
        assertThat(c.call("SET", "k", "v", "100")).isEqualTo("-Permission denied\r\n");
        assertThat(c.call("AUTH", "wrong")).isEqualTo("-Access denied\r\n");
        assertThat(c.call("AUTH", "x".repeat(129))).isEqualTo("-Password too long\r\n");
        assertThat(c.call("AUTH", "root")).isEqualTo("+OK\r\n");
        assertThat(c.call("NSNEW", "x")).isEqualTo("+OK\r\n");
        assertThat(c.call("AUTH", "a", "b", "c")).isEqualTo("-Unexpected arguments\r\n");
        assertThat(c.call("AUTH", "PLAIN", "x")).isEqualTo("-Only SECURE extra method supported\r\n");
    }

    @Test
    void everyConnectionIsAdminWithoutAnAdminPassword() throws Exception {
        zdb = new ServerFixture(dir).start();
        RawClient c = zdb.client();
        assertThat(c.call("AUTH", "anything")).isEqualTo("-Authentication disabled\r\n");
        assertThat(c.call("NSNEW", "x")).isEqualTo("+OK\r\n");
        nonce(c.call("AUTH", "SECURE", "CHALLENGE"));
        assertThat(c.call("AUTH", "SECURE", "0".repeat(40))).isEqualTo("-Authentication disabled\r\n");
    }

    @Test
    void authSecureAcceptsSha1OfNonceAndPasswordOnceperChallenge() throws Exception {
        zdb = new ServerFixture(dir).admin("root").start();
        RawClient c = zdb.client();
        assertThat(c.call("AUTH", "SECURE", "0".repeat(40)))
                .isEqualTo("-No CHALLENGE requested, secure authentication not available\r\n");
        String nonce = nonce(c.call("auth", "sec", "chal"));
        assertThat(c.call("AUTH", "SECURE", "abc")).isEqualTo("-Invalid hash length\r\n");
        String hash = sha1(nonce + ":root");
        assertThat(c.call("AUTH", "SECURE", hash)).isEqualTo("+OK\r\n");
        assertThat(c.call("AUTH", "SECURE", hash))
                .isEqualTo("-No CHALLENGE requested, secure authentication not available\r\n");
        assertThat(c.call("NSNEW", "x")).isEqualTo("+OK\r\n");

        RawClient other = zdb.client();
        String otherNonce = nonce(other.call("AUTH", "SECURE", "CHALLENGE"));
        assertThat(other.call("AUTH", "SECURE", sha1(otherNonce + ":wrong"))).isEqualTo("-Access denied\r\n");
        assertThat(other.call("NSNEW", "y")).isEqualTo("-Permission denied\r\n");
    }

    @Test
    void selectSecureOpensAProtectedNamespaceWithTheChallengeNonce() throws Exception {
        zdb = new ServerFixture(dir).start();
        RawClient admin = zdb.client();
        admin.call("NSNEW", "vault");
        admin.call("NSSET", "vault", "password", "pw");
        admin.call("NSSET", "vault", "public", "0");
        RawClient c = zdb.client();
        assertThat(c.call("SELECT", "vault", "SECURE", "0".repeat(40)))
                .isEqualTo("-No CHALLENGE requested, secure authentication not available\r\n");
        String nonce = nonce(c.call("AUTH", "SECURE", "CHALLENGE"));
        assertThat(c.call("SELECT", "vault", "PLAIN", sha1(nonce + ":pw"))).isEqualTo("-Only SECURE extra method supported\r\n");
        assertThat(c.call("SELECT", "vault", "SECURE", "abc")).isEqualTo("-Invalid hash length\r\n");
        assertThat(c.call("SELECT", "vault", "SECURE", sha1(nonce + ":nope"))).isEqualTo("-Access denied\r\n");
        assertThat(c.call("SELECT", "vault", "SECURE", sha1(nonce + ":pw"))).isEqualTo("+OK\r\n");
        assertThat(c.call("SET", "k", "v")).isEqualTo("$1\r\nk\r\n");
        // SELECT does not consume the nonce.
        assertThat(c.call("SELECT", "vault", "secure", sha1(nonce + ":pw"))).isEqualTo("+OK\r\n");
    }

    @Test
    void protectMakesDefaultReadOnlyUntilSelectedWithTheAdminPassword() throws Exception {
        zdb = new ServerFixture(dir).admin("root").protect().start();
        RawClient c = zdb.client();
        assertThat(c.call("SET", "k", "v")).isEqualTo("-Namespace is in read-only mode\r\n");
        assertThat(c.call("GET", "k")).isEqualTo("$-1\r\n");
        assertThat(c.call("SELECT", "default", "wrong")).isEqualTo("-Access denied\r\n");
        assertThat(c.call("SELECT", "default", "root")).isEqualTo("+OK\r\n");
        assertThat(c.call("SET", "k", "v")).isEqualTo("$1\r\nk\r\n");
    }
}
