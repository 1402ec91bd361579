package org.resbench.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.resbench.harness.data.ProgressListener;

/**
 * Shows the harness's progress reports: a progress bar on standard error when it is a terminal, otherwise
 * (CI logs, pipes, tests) one summary line per download or unpacking step. Notes go to {@code err}.
 * Not thread-safe; one command uses it.
 */
final class CliProgress implements ProgressListener {
  private final PrintWriter err;
  private final boolean interactive;

  CliProgress(PrintWriter err, boolean interactive) {
    this.err = err;
    this.interactive = interactive;
  }

  /** Bars only when the JVM has a console. */
  static CliProgress forTerminal(PrintWriter err) {
    return new CliProgress(err, System.console() != null);
  }

  @Override
  public void note(String message) {
    err.println(message);
    err.flush();
  }

  @Override
  public Task start(String label, long totalBytes) {
    boolean worthALine = label.startsWith("downloading") || label.startsWith("unpacking") || label.startsWith("copying");
    if (interactive && worthALine) {
      ProgressBar bar = new ProgressBarBuilder().setTaskName(shortLabel(label)).setInitialMax(totalBytes > 0 ? totalBytes : -1)
          .setUnit(" MB", 1 << 20).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
          .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
      return new Task() {
        private boolean closed;

        @Override
        public void advance(long bytes) {
          bar.stepBy(bytes);
        }

        @Override
        public void set(long doneBytes) {
          bar.stepTo(doneBytes);
        }

        @Override
        public void close() {
          if (!closed) {
            closed = true;
            bar.close();
          }
        }
      };
    }
    long start = System.nanoTime();
    return new Task() {
      private long done;
      private boolean closed;

      @Override
      public void advance(long bytes) {
        done += bytes;
      }

      @Override
      public void set(long doneBytes) {
        done = doneBytes;
      }

      @Override
      public void close() {
        if (closed) {
          return;
        }
        closed = true;
        if (worthALine) {
          long bytes = Math.max(done, totalBytes);
          err.printf(Locale.ROOT, "  %s: %s in %.1f s%n", label, bytes > 0 ? megabytes(bytes) : "done",
              (System.nanoTime() - start) / 1e9);
          err.flush();
        }
      }
    };
  }

  /** The label cut to fit beside the bar in 80 columns: the verb and at most 24 characters of the name. */
  static String shortLabel(String label) {
    int sp = label.indexOf(' ');
    if (sp < 0 || label.length() - sp - 1 <= 24) {
      return label;
    }
    return label.substring(0, sp + 1) + label.substring(sp + 1, sp + 24) + "~";
  }

  static String megabytes(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1048576.0);
  }
}
