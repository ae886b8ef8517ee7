package dev.quilt.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quilt.zstor.BackendStatus;
import dev.quilt.zstor.CheckReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The exact text of {@code quilt zstor status}, {@code check} lines and the progress line. */
class ZstorOutputTest {
    @Test
    void statusIsATableWithTheUnitOnEverySize() {
        List<BackendStatus> backends = List.of(
                new BackendStatus("10.0.0.1:9900/data", BackendStatus.Role.DATA, true, OptionalLong.of(3L << 30),
                        OptionalLong.of(1536), OptionalLong.of(12), Optional.empty()),
                new BackendStatus("10.0.0.2:9900/meta", BackendStatus.Role.META, true, OptionalLong.empty(),
                        OptionalLong.of(512), OptionalLong.of(3), Optional.empty()),
                new BackendStatus("10.0.0.3:9900/data", BackendStatus.Role.DATA, false, OptionalLong.empty(),
                        OptionalLong.empty(), OptionalLong.empty(), Optional.of("connection refused")));
        assertThat(ZstorStatusCommand.table(backends)).isEqualTo("""
                BACKEND             ROLE  REACHABLE     USED     FREE  ENTRIES
                10.0.0.1:9900/data  data  yes        1.5 KiB  3.0 GiB       12
                10.0.0.2:9900/meta  meta  yes          512 B        -        3
                10.0.0.3:9900/data  data  no               -        -        -
                10.0.0.3:9900/data: connection refused
                """);
    }

    @Test
    void checkLinesNameEveryBadShard() {
        CheckReport report = new CheckReport("chain/d3", CheckReport.Health.DEGRADED, List.of(
                new CheckReport.ShardProblem(2, "10.0.0.1:9900/data", CheckReport.ShardProblem.Kind.MISSING, 1),
                new CheckReport.ShardProblem(5, "10.0.0.4:9900/data", CheckReport.ShardProblem.Kind.CORRUPT, 3)));
        assertThat(ZstorCheckCommand.describe(report)).isEqualTo("DEGRADED chain/d3: shard 2 on 10.0.0.1:9900/data MISSING"
                + " in 1 stripe; shard 5 on 10.0.0.4:9900/data CORRUPT in 3 stripes");
        assertThat(ZstorCheckCommand.describe(new CheckReport("a", CheckReport.Health.HEALTHY, List.of()))).isEqualTo("HEALTHY a");
    }

    @Test
    void progressRedrawsOneLineAndClearsIt() {
        StringWriter text = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(text), true, "store", 4L << 20)) {
            progress.accept(1L << 20);
        }
        assertThat(text.toString()).matches("\rstore 1\\.0 MiB / 4\\.0 MiB  25%  \\d+\\.\\d MB/s  \r\033\\[K");
    }

    @Test
    void progressIsSilentWhenStderrIsNotATerminal() {
        StringWriter text = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(text), false, "store", 100)) {
            progress.accept(50);
        }
        assertThat(text.toString()).isEmpty();
    }
}
