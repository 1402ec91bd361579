package org.resbench.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentInfoTest {

  @Test
  void aCommandThatHangsIsKilledAtItsTimeoutInsteadOfBlocking() {
    // Without the enforced timeout this blocks for the full 60 s (the old code read the pipe before waiting).
    String out = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> EnvironmentInfo.output(Duration.ofMillis(300), "sh", "-c", "sleep 60"));
    assertNull(out, "a timed-out command has no output");
  }

  @Test
  void aCommandsOutputIsReadAndFailuresAreNull() {
    assertEquals("hello\n", EnvironmentInfo.output(Duration.ofSeconds(10), "sh", "-c", "echo hello"));
    assertNull(EnvironmentInfo.output(Duration.ofSeconds(10), "sh", "-c", "exit 3"));
    assertNull(EnvironmentInfo.output(Duration.ofSeconds(10), "/no/such/command"));
  }

  @Test
  void aFolderOutsideAnyRepositoryHasAnUnknownCommit(@TempDir Path dir) {
    assertEquals("unknown", EnvironmentInfo.gitCommit(dir));
    assertTrue(EnvironmentInfo.capture().containsKey("cpu"));
  }
}
