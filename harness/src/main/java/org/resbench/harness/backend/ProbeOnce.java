package org.resbench.harness.backend;

import java.util.function.Supplier;

/**
 * Runs a backend's probe the first time it is asked for and remembers the result, so {@link Backend#probe()}
 * loads the engine at most once however many threads ask. Thread-safe.
 */
public final class ProbeOnce {
  private final Supplier<Capabilities> probe;
  private volatile Capabilities result;

  /** @param probe finds out what the backend can do here; must not throw */
  public ProbeOnce(Supplier<Capabilities> probe) {
    this.probe = probe;
  }

  /** The probe's result, running it on the first call. */
  public Capabilities get() {
    Capabilities c = result;
    if (c == null) {
      synchronized (this) {
        c = result;
        if (c == null) {
          c = probe.get();
          result = c;
        }
      }
    }
    return c;
  }
}
