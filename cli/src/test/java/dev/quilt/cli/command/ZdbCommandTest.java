package dev.quilt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.cli.ExitCodes;
import dev.quilt.cli.QuiltRun;
import dev.quilt.zdb.store.Mode;
import dev.quilt.zdb.store.StoreConfig;
import dev.quilt.zdb.store.StoreLockedException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ZdbCommandTest {
    private final FakeZdbServer server = new FakeZdbServer();

    @Test
    void defaultsAreThoseOf0db() {
        QuiltRun run = QuiltRun.with(server, "zdb");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        StoreConfig store = server.config.store();
        assertThat(store).isEqualTo(new StoreConfig(Path.of("./zdb-data"), Path.of("./zdb-index"), Optional.empty(),
                256L * 1024 * 1024, false, Duration.ZERO, 0));
        InetSocketAddress listen = server.config.listen().orElseThrow();
        assertThat(listen.getPort()).isEqualTo(9900);
        assertThat(listen.getAddress().isAnyLocalAddress()).isTrue();
        assertThat(server.config.adminPassword()).isEmpty();
        assertThat(server.config.protect()).isFalse();
        assertThat(server.config.socket()).isEmpty();
        assertThat(server.config.metrics()).isEmpty();
        assertThat(server.config.busyPoll()).isEqualTo(Duration.ofNanos(50_000));
        assertThat(run.out()).matches("zdb listening on (\\[::]|0\\.0\\.0\\.0):9900 \\(data ./zdb-data, index ./zdb-index, mode mixed\\)\n");
    }

    @Test
    void everyFlagReachesTheServerConfiguration() {
        QuiltRun run = QuiltRun.with(server, "zdb", "--listen", "127.0.0.1", "--port", "7000", "--data", "/d", "--index", "/i",
                "--mode", "user", "--datasize", "1.5M", "--sync", "--synctime", "5", "--admin", "pw", "--protect",
                "--maxsize", "10M", "--hook", "/bin/true", "--metrics", "127.0.0.1:9100", "--busy-poll", "0");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(server.config.store()).isEqualTo(new StoreConfig(Path.of("/d"), Path.of("/i"), Optional.of(Mode.USER),
                1572864, true, Duration.ofSeconds(5), 10 * 1024 * 1024));
        assertThat(server.config.listen()).contains(new InetSocketAddress("127.0.0.1", 7000));
        assertThat(server.config.adminPassword()).contains("pw");
        assertThat(server.config.protect()).isTrue();
        assertThat(server.config.hook()).contains(Path.of("/bin/true"));
        assertThat(server.config.metrics()).contains(new InetSocketAddress("127.0.0.1", 9100));
        assertThat(server.config.busyPoll()).isZero();
        assertThat(run.out()).isEqualTo("zdb listening on 127.0.0.1:7000, metrics http://127.0.0.1:9100/metrics"
                + " (data /d, index /i, mode user)\n");
    }

    @Test
    void directModeIsSequentialMode() {
        assertThat(QuiltRun.with(server, "zdb", "--mode", "direct").exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(server.config.store().forcedMode()).contains(Mode.SEQ);
    }

    @Test
    void aUnixSocketReplacesTcpUnlessDualnet() {
        QuiltRun.with(server, "zdb", "--socket", "/run/zdb.sock");
        assertThat(server.config.listen()).isEmpty();
        assertThat(server.config.socket()).contains(Path.of("/run/zdb.sock"));
        QuiltRun.with(server, "zdb", "--socket", "/run/zdb.sock", "--dualnet", "--listen", "127.0.0.1");
        assertThat(server.config.listen()).contains(new InetSocketAddress("127.0.0.1", 9900));
    }

    @Test
    void datasizeBelow512kIsRejectedWithItsValueInBytes() {
        assertThat(QuiltRun.with(server, "zdb", "--datasize", "100k")).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "error: --datasize: 100k is 102400 bytes (expected: at least 512k = 524288 bytes and less than 4G = 4294967295 bytes)\n"));
    }

    @Test
    void datasizeOf4GIsRejected() {
        assertThat(QuiltRun.with(server, "zdb", "--datasize", "4G").err()).isEqualTo(
                "error: --datasize: 4G is 4294967296 bytes (expected: at least 512k = 524288 bytes and less than 4G = 4294967295 bytes)\n");
    }

    @Test
    void datasizeThatIsNotASizeIsRejected() {
        assertThat(QuiltRun.with(server, "zdb", "--datasize", "lots")).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "error: --datasize: 'lots' is not a size (expected: bytes with an optional k, M, G or T suffix, e.g. 512k or 1.5G)\n"));
    }

    @Test
    void protectWithoutAdminIsRejected() {
        assertThat(QuiltRun.with(server, "zdb", "--protect")).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "error: --protect needs --admin: the admin password is what unlocks the default namespace\n"));
    }

    @Test
    void unknownModeIsRejected() {
        assertThat(QuiltRun.with(server, "zdb", "--mode", "fast")).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "error: --mode: 'fast' (expected: user or seq; omit it for mixed mode)\n"));
    }

    @Test
    void sameDataAndIndexDirectoryIsRejected() {
        assertThat(QuiltRun.with(server, "zdb", "--data", "x", "--index", "./x").err())
                .isEqualTo("error: --data and --index must be different directories: both are x\n");
    }

    @Test
    void malformedMetricsAddressIsRejected() {
        assertThat(QuiltRun.with(server, "zdb", "--metrics", "9100").err())
                .isEqualTo("error: --metrics: '9100' (expected: HOST:PORT, e.g. 127.0.0.1:9100)\n");
    }

    @Test
    void aBusyPollOutsideZeroToOneMillisecondIsRejected() {
        assertThat(QuiltRun.with(server, "zdb", "--busy-poll", "-1")).isEqualTo(new QuiltRun(ExitCodes.INPUT, "",
                "error: --busy-poll: -1 (expected: 0..1000 microseconds)\n"));
        assertThat(QuiltRun.with(server, "zdb", "--busy-poll", "1001").err())
                .isEqualTo("error: --busy-poll: 1001 (expected: 0..1000 microseconds)\n");
        assertThat(QuiltRun.with(server, "zdb", "--busy-poll", "1000").exitCode()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void unknownFlagIsAUsageError() {
        assertThat(QuiltRun.with(server, "zdb", "--verbose")).isEqualTo(new QuiltRun(ExitCodes.USAGE, "", """
                error: Unknown option: '--verbose'
                See 'quilt zdb --help'.
                """));
    }

    @Test
    void lockedDirectoriesExitAsUnavailableWithTheLockFile() {
        QuiltRun run = QuiltRun.with(config -> {
            throw new StoreLockedException(Path.of("/srv/zdb-index/.lockfile"));
        }, "zdb");
        assertThat(run).isEqualTo(new QuiltRun(ExitCodes.UNAVAILABLE, "",
                "error: another zdb is already using /srv/zdb-index (lock held on /srv/zdb-index/.lockfile)\n"));
    }

    @Test
    void anUnexpectedFailureIsInternalAndHintsAtStacktrace() {
        QuiltRun run = QuiltRun.with(config -> {
            throw new IllegalStateException("boom");
        }, "zdb");
        assertThat(run).isEqualTo(new QuiltRun(ExitCodes.INTERNAL, "", """
                error: boom
                This is a bug in quilt; rerun with --stacktrace to see where it happened.
                """));
    }

    @Test
    void stacktraceFlagPrintsTheStackTrace() {
        QuiltRun run = QuiltRun.with(config -> {
            throw new IllegalStateException("boom");
        }, "--stacktrace", "zdb");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.INTERNAL);
        assertThat(run.err()).startsWith("error: boom\njava.lang.IllegalStateException: boom\n\tat ");
    }

    @Test
    void helpShowsEvery0dbFlagWithItsDefault() {
        String help = QuiltRun.of("zdb", "--help").out();
        assertThat(help).startsWith("Usage: quilt zdb [-hVv] [--dualnet] [--protect] [--stacktrace] [--sync]");
        assertThat(help).contains("""
                      --listen=ADDR         Address to listen on (default: ::, or 0.0.0.0 without IPv6).
                      --port=PORT           TCP port (default: 9900).
                      --socket=PATH         Listen on this unix socket instead of TCP.
                      --dualnet             With --socket, listen on TCP as well.
                      --data=DIR            Data files root (default: ./zdb-data).
                      --index=DIR           Index files root (default: ./zdb-index).
                      --mode=user|seq       Keys of every namespace (default: mixed, chosen per namespace).
                      --datasize=SIZE       Data file size, 512k to <4G, k/M/G/T suffixes (default: 256M).
                      --sync                Force every write to disk before acknowledging it.
                      --synctime=SEC        Force writes to disk at least every SEC seconds.
                      --admin=PASSWORD      Admin password; without it every client is admin.
                      --protect             Default namespace read-only until SELECT default <admin pw>.
                      --maxsize=SIZE        Size limit of the default namespace (default: unlimited).
                      --hook=EXE            Program run on events (ready, namespace created, file jumps...).
                      --metrics=HOST:PORT   Serve Prometheus metrics over HTTP here.
                      --busy-poll=MICROS    Poll this many microseconds for requests before sleeping (default: 50):
                                              more requests/s and lower latency under load, paid in CPU that would
                                              idle; backs off when idle; 0 never polls.
                """);
        assertThat(help).endsWith("""
                Commands:
                  compact  Ask a running zdb to compact its data files; print its summary.
                """);
    }
}
