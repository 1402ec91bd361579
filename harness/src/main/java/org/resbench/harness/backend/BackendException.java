package org.resbench.harness.backend;

/**
 * The one unchecked exception for backend failures (native errors, missing engines or devices,
 * unsupported operations). Its message starts with the backend's name.
 */
public class BackendException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String backend;

  public BackendException(String backend, String message) {
    super(backend + ": " + message);
    this.backend = backend;
  }

  public BackendException(String backend, String message, Throwable cause) {
    super(backend + ": " + message, cause);
    this.backend = backend;
  }

  /** The name of the backend that failed, e.g. {@code ort-cpu}. */
  public String backend() {
    return backend;
  }
}
