package dev.quilt.zstor.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quilt.zdb.ZdbServer;
import dev.quilt.zdb.ZdbServerConfig;
import dev.quilt.zdb.client.ZdbClient;
import dev.quilt.zdb.client.ZdbException;
import dev.quilt.zdb.store.StoreConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A configured namespace that a real zdb does not have: created when the zdb lets us (no admin
 * password, or the right one configured), with the configured namespace password; else every call
 * fails with one line naming the backend and the namespace.
 */
class NamespaceCreationIT {

    static final BackendLink.Options OPTIONS = new BackendLink.Options(Duration.ofSeconds(2), Duration.ofSeconds(10), 2);
    static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);
    static final byte[] VALUE = "v".getBytes(StandardCharsets.UTF_8);

    static ZdbServer zdb(Path dir, Optional<String> admin) throws IOException {
        return ZdbServer.start(new ZdbServerConfig(StoreConfig.defaults(dir.resolve("data"), dir.resolve("index")),
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), Optional.empty(), admin, false,
                Optional.empty(), Optional.empty()));
    }

    static Backend backend(ZdbServer server, String namespace, Optional<String> password, Optional<String> admin) {
        return new Backend("127.0.0.1", server.address().orElseThrow().getPort(), Optional.of(namespace), password,
                admin);
    }

    static ZdbClient direct(ZdbServer server) {
        return ZdbClient.builder("127.0.0.1", server.address().orElseThrow().getPort()).build();
    }

    @Test
    void aZdbWithoutAnAdminPasswordGetsTheNamespaceCreatedWithItsPassword(@TempDir Path dir) throws Exception {
        try (ZdbServer server = zdb(dir, Optional.empty());
                BackendLink link = new BackendLink(backend(server, "fresh", Optional.of("nspass"), Optional.empty()),
                        OPTIONS)) {
            link.set(KEY, VALUE);
            assertThat(link.get(KEY)).isEqualTo(VALUE);
            try (ZdbClient direct = direct(server)) {
                assertThat(direct.nslist()).contains("fresh");
                assertThat(direct.nsinfo("fresh")).containsEntry("password", "yes");
            }
            assertThatThrownBy(() -> ZdbClient.builder("127.0.0.1", server.address().orElseThrow().getPort())
                    .namespace("fresh", "wrong").build()).isInstanceOf(ZdbException.class);
        }
    }

    @Test
    void aZdbWithAnAdminPasswordRefusesUnlessItIsConfigured(@TempDir Path dir) throws Exception {
        try (ZdbServer server = zdb(dir, Optional.of("adminpw"))) {
            Backend without = backend(server, "guarded", Optional.empty(), Optional.empty());
            try (BackendLink link = new BackendLink(without, OPTIONS)) {
                assertThatThrownBy(() -> link.set(KEY, VALUE)).isInstanceOfSatisfying(
                        BackendUnavailableException.class, e -> assertThat(e.getMessage())
                                .startsWith("backend " + without.id() + ": ")
                                .contains("namespace \"guarded\" does not exist and the zdb refused to create it")
                                .contains("admin_password")
                                .doesNotContain("\n"));
            }
            try (BackendLink wrong = new BackendLink(without.withAdminPassword(Optional.of("nope")), OPTIONS)) {
                assertThatThrownBy(() -> wrong.set(KEY, VALUE)).isInstanceOf(BackendUnavailableException.class)
                        .hasMessageContaining("namespace \"guarded\" does not exist");
            }
            try (BackendLink admin = new BackendLink(without.withAdminPassword(Optional.of("adminpw")), OPTIONS)) {
                admin.set(KEY, VALUE);
                assertThat(admin.get(KEY)).isEqualTo(VALUE);
            }
            // Once it exists, a link without the admin password uses it.
            try (BackendLink link = new BackendLink(without, OPTIONS)) {
                assertThat(link.get(KEY)).isEqualTo(VALUE);
            }
        }
    }
}
