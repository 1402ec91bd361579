package org.resbench.harness.data;

/**
 * Receives progress from long data operations (downloads, unpacking, checksums) so that the harness stays
 * free of any console library: the command line adapts this to a progress bar, tests record it.
 * Implementations are called from the working thread only; they need not be thread-safe.
 */
public interface ProgressListener {

  /** Ignores everything. */
  ProgressListener SILENT = new ProgressListener() {
    @Override
    public void note(String message) {}

    @Override
    public Task start(String label, long totalBytes) {
      return Task.NONE;
    }
  };

  /** A step worth one line of output, e.g. which source is being tried and why it was skipped. */
  void note(String message);

  /**
   * Starts a task that moves {@code totalBytes} bytes (0 or less when unknown). The caller closes it when
   * the task ends, successfully or not.
   */
  Task start(String label, long totalBytes);

  /** One running task; {@link #close} ends it and is idempotent (a no-op unless overridden). */
  interface Task extends AutoCloseable {
    /** Does nothing. */
    Task NONE = new Task() {
      @Override
      public void advance(long bytes) {}

      @Override
      public void close() {}
    };

    /** {@code bytes} more bytes are done. */
    void advance(long bytes);

    /** Sets the total done so far (for sources that report a level rather than increments). */
    default void set(long doneBytes) {}

    @Override
    default void close() {}
  }
}
