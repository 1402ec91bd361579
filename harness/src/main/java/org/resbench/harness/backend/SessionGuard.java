package org.resbench.harness.backend;

import org.resbench.harness.spec.ModelSpec;

/**
 * Whether one {@link Session} is still open, and the one way every backend says it is not: each session method but
 * {@code close()} starts with {@link #requireOpen()}, which throws {@link IllegalStateException} with
 * {@link #closedMessage}; {@code close()} releases the session's resources only when {@link #close()} returns true
 * (the first time), which makes it idempotent. Owned by its session, for the session's lifetime; not thread-safe
 * (sessions are used by one thread at a time).
 */
public final class SessionGuard {
  private final String backendName;
  private final ModelSpec spec;
  private boolean closed;

  /** A guard of an open session of {@code spec} on {@code backendName}. */
  public SessionGuard(String backendName, ModelSpec spec) {
    this.backendName = backendName;
    this.spec = spec;
  }

  /** The message of the {@link IllegalStateException} every backend's session throws when called after close. */
  public static String closedMessage(String backendName, ModelSpec spec) {
    return backendName + ": the session of '" + spec.name() + "' is closed; open a new one with Backend.open";
  }

  /** Throws {@link IllegalStateException} once the session is closed. */
  public void requireOpen() {
    if (closed) {
      throw new IllegalStateException(closedMessage(backendName, spec));
    }
  }

  /** Marks the session closed: true the first time (release the resources now), false on every later call. */
  public boolean close() {
    if (closed) {
      return false;
    }
    closed = true;
    return true;
  }

  /** Whether {@link #close()} was called. */
  public boolean isClosed() {
    return closed;
  }
}
