package org.resbench.harness.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EngineLogTest {

  @Test
  void engineLoggingIsQuietUnlessAskedAndTheSystemPropertyWins() {
    String saved = System.getProperty(EngineLog.PROPERTY);
    try {
      System.clearProperty(EngineLog.PROPERTY);
      if (System.getenv(EngineLog.ENV) == null) {
        assertEquals(EngineLog.ERROR, EngineLog.current(), "the default is errors only");
      }
      System.setProperty(EngineLog.PROPERTY, "warning");
      assertEquals(EngineLog.WARNING, EngineLog.current());
      System.setProperty(EngineLog.PROPERTY, "loud");
      assertEquals(EngineLog.ERROR, EngineLog.current(), "a mistyped level keeps the default");
    } finally {
      if (saved == null) {
        System.clearProperty(EngineLog.PROPERTY);
      } else {
        System.setProperty(EngineLog.PROPERTY, saved);
      }
    }
  }

  @Test
  void levelsParseCaseInsensitivelyWithTheUsualAliases() {
    assertEquals(EngineLog.WARNING, EngineLog.parse("WARN"));
    assertEquals(EngineLog.VERBOSE, EngineLog.parse(" debug "));
    assertEquals(EngineLog.INFO, EngineLog.parse("info"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EngineLog.parse("loud"));
    assertTrue(e.getMessage().contains("allowed: error, warning, info, verbose"), e.getMessage());
  }
}
