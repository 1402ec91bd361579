package org.resbench.experiments;

/**
 * A unit of long work that reports progress (the CLI shows a progress bar; tests ignore it). Not thread-safe.
 */
public interface Progress extends AutoCloseable {

  /** One more unit done, with a short description of what is running next. */
  void step(String message);

  @Override
  void close();

  /** Creates progress trackers. */
  @FunctionalInterface
  interface Factory {
    Progress start(String task, long total);

    /** Ignores everything. */
    Factory NONE = (task, total) -> new Progress() {
      @Override
      public void step(String message) {}

      @Override
      public void close() {}
    };
  }
}
