package dev.quilt.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class JavaProcessTest {
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Test
    void childSeesItsArgumentsAndIsGoneAfterKill() {
        try (JavaProcess child = JavaProcess.start(SleepyMain.class, List.of("a", "b"))) {
            Await.until(() -> child.output().contains("started a b"), PATIENCE, child::output);
            assertThat(child.isAlive()).isTrue();
            child.kill();
            assertThat(child.isAlive()).isFalse();
        }
    }

    @Test
    void whatAChildPrintsWhileItStopsOnSigtermIsCaptured() {
        try (JavaProcess child = JavaProcess.start(TermMain.class, List.of())) {
            Await.until(() -> child.output().contains("ready"), PATIENCE, child::output);
            child.terminate();
            child.awaitExit(PATIENCE);
            assertThat(child.output()).isEqualTo("ready\nstopping cleanly\n");
        }
    }

    @Test
    void exitStatusOfAChildThatExitsOnItsOwnIsReported() {
        try (JavaProcess child = JavaProcess.start(SleepyMain.class, List.of("exit", "7"))) {
            assertThat(child.awaitExit(PATIENCE)).isEqualTo(7);
            assertThat(child.output()).isEqualTo("started exit 7\n");
        }
    }
}
