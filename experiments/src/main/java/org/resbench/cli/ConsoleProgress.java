package org.resbench.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.resbench.experiments.Progress;
import org.resbench.harness.data.ProgressListener;

/**
 * The command line's one progress display, with two views: {@link #tasks()} for experiments' work (counted
 * units with a message) and {@link #transfers()} for data transfers (bytes). On a terminal it draws a progress bar
 * (redrawn in place with a carriage return); elsewhere (CI logs, pipes, tests) it writes a line at every 5% of
 * the work and one when the task ends, and for transfers one summary line. Everything goes to the writer it is
 * given. Not thread-safe; one command uses it.
 */
final class ConsoleProgress {
  private static final int WIDTH = 110;
  private final PrintWriter err;
  private final boolean interactive;

  ConsoleProgress(PrintWriter err, boolean interactive) {
    this.err = err;
    this.interactive = interactive;
  }

  /** Bars only when the JVM has a console. */
  static ConsoleProgress forTerminal(PrintWriter err) {
    return new ConsoleProgress(err, System.console() != null);
  }

  /** Counted units of work with a message, for experiments and training. */
  Progress.Factory tasks() {
    return this::startTask;
  }

  /** Byte counts of downloads and unpacking, for the data fetcher. */
  ProgressListener transfers() {
    return new ProgressListener() {
      @Override
      public void note(String message) {
        line(message);
      }

      @Override
      public Task start(String label, long totalBytes) {
        return startTransfer(label, totalBytes);
      }
    };
  }

  private Progress startTask(String task, long total) {
    if (interactive) {
      ProgressBar bar = bar(task, total, "", 1);
      return new Progress() {
        @Override
        public void step(String message) {
          bar.setExtraMessage(" " + message);
          bar.step();
        }

        @Override
        public void close() {
          closeBar(bar);
        }
      };
    }
    long start = System.nanoTime();
    long every = Math.max(1, total / 20);
    return new Progress() {
      private long done;
      private boolean closed;

      @Override
      public void step(String message) {
        done++;
        if (done % every == 0 || done == total) {
          double elapsed = seconds(start);
          line(String.format(Locale.ROOT, "%s [%d/%d, %.0f s, ETA %s] %s", task, done, total, elapsed,
              eta(elapsed, done, total), message));
        }
      }

      @Override
      public void close() {
        if (!closed) {
          closed = true;
          line(String.format(Locale.ROOT, "%s: done in %.1f s", task, seconds(start)));
        }
      }
    };
  }

  private ProgressListener.Task startTransfer(String label, long totalBytes) {
    boolean worthALine = label.startsWith("downloading") || label.startsWith("unpacking")
        || label.startsWith("copying");
    if (interactive && worthALine) {
      ProgressBar bar = bar(shortLabel(label), totalBytes > 0 ? totalBytes : -1, " MB", 1 << 20);
      return new ProgressListener.Task() {
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
            closeBar(bar);
          }
        }
      };
    }
    long start = System.nanoTime();
    return new ProgressListener.Task() {
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
        if (!closed) {
          closed = true;
          if (worthALine) {
            long bytes = Math.max(done, totalBytes);
            line(String.format(Locale.ROOT, "  %s: %s in %.1f s", label, bytes > 0 ? megabytes(bytes) : "done",
                seconds(start)));
          }
        }
      }
    };
  }

  private ProgressBar bar(String task, long total, String unit, long unitSize) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(unit, unitSize)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(300).setMaxRenderedLength(WIDTH)
        .setConsumer(new DelegatingProgressBarConsumer(rendered -> {
          err.print('\r' + rendered);
          err.flush();
        }, WIDTH)).build();
  }

  private void closeBar(ProgressBar bar) {
    bar.close();
    err.println();
    err.flush();
  }

  private void line(String s) {
    err.println(s);
    err.flush();
  }

  /** The remaining time at the rate so far, as {@code 1h02m}, {@code 3m05s} or {@code 12s}. */
  static String eta(double elapsedSeconds, long done, long total) {
    if (done <= 0 || total <= done) {
      return "0s";
    }
    long s = Math.round(elapsedSeconds / done * (total - done));
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s / 60 % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
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
