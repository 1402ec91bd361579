package org.resbench.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.resbench.experiments.Progress;

/**
 * Progress on standard error: a progress bar when the JVM has a console, otherwise (CI logs, pipes) a line
 * with the count and elapsed time at every 5% of the work (at most ~20 lines). Not thread-safe per tracker.
 */
final class ProgressBars implements Progress.Factory {
  private final PrintStream err;
  private final boolean interactive;

  ProgressBars(PrintStream err, boolean interactive) {
    this.err = err;
    this.interactive = interactive;
  }

  static ProgressBars forTerminal(PrintStream err) {
    return new ProgressBars(err, System.console() != null);
  }

  @Override
  public Progress start(String task, long total) {
    if (!interactive) {
      long start = System.nanoTime();
      return new Progress() {
        private long done;

        private final long every = Math.max(1, total / 20);

        @Override
        public void step(String message) {
          done++;
          if (done % every == 0 || done == total) {
            err.printf(Locale.ROOT, "%s [%d/%d, %.0f s] %s%n", task, done, total, (System.nanoTime() - start) / 1e9,
                message);
          }
        }

        @Override
        public void close() {
          err.printf(Locale.ROOT, "%s: done in %.1f s%n", task, (System.nanoTime() - start) / 1e9);
        }
      };
    }
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(110)
        .setConsumer(new ConsoleProgressBarConsumer(err)).build();
    return new Progress() {
      @Override
      public void step(String message) {
        bar.setExtraMessage(" " + message);
        bar.step();
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
