package org.resbench.harness.backend;

import java.util.Locale;

/**
 * How much the engines behind the backends print to the console (ONNX Runtime's own log; DJL's OnnxRuntime
 * sessions). Quiet by default: {@link #ERROR}, so that routine engine warnings (e.g. ONNX Runtime's "Removing
 * initializer ..." while it optimises a graph) do not bury resbench's output. Chosen by the system property
 * {@value #PROPERTY} (the CLI's {@code --verbose} sets it to {@code warning}), else the environment variable
 * {@value #ENV}, else {@code error}; read when an engine starts and when a session is created. Thread-safe.
 */
public enum EngineLog {
  /** Errors only (the default). */
  ERROR,
  /** Warnings and errors. */
  WARNING,
  /** Informational messages too. */
  INFO,
  /** Everything the engine can say. */
  VERBOSE;

  /** The system property that sets the level. */
  public static final String PROPERTY = "resbench.engine.log";
  /** The environment variable that sets the level when the property is not set. */
  public static final String ENV = "RESBENCH_ENGINE_LOG";

  private static volatile boolean warned;

  /**
   * The level in effect. An unknown value leaves the default ({@link #ERROR}) and says so once on standard error,
   * since a mistyped logging setting should not stop a run.
   */
  public static EngineLog current() {
    String v = System.getProperty(PROPERTY);
    String source = "-D" + PROPERTY;
    if (v == null || v.isBlank()) {
      v = System.getenv(ENV);
      source = ENV;
    }
    if (v == null || v.isBlank()) {
      return ERROR;
    }
    try {
      return parse(v);
    } catch (IllegalArgumentException e) {
      if (!warned) {
        warned = true;
        System.err.println("resbench: " + source + "=" + v + " is not a log level (allowed: error, warning, info,"
            + " verbose); engine logging stays at error");
      }
      return ERROR;
    }
  }

  /** The level named {@code name} (case-insensitive; {@code warn} and {@code debug} are accepted too). */
  public static EngineLog parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    switch (n) {
      case "error":
        return ERROR;
      case "warning":
      case "warn":
        return WARNING;
      case "info":
        return INFO;
      case "verbose":
      case "debug":
        return VERBOSE;
      default:
        throw new IllegalArgumentException("engine log level '" + name + "'; allowed: error, warning, info, verbose");
    }
  }
}
