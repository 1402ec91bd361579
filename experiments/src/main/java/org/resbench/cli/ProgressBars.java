package org.resbench.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.resbench.experiments.Progress;

/** Progress bars on standard error for long work. Not thread-safe per bar. */
final class ProgressBars implements Progress.Factory {
  private final java.io.PrintStream err;

  ProgressBars(java.io.PrintStream err) {
    this.err = err;
  }

  @Override
  public Progress start(String task, long total) {
    ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).setMaxRenderedLength(110)
        .setConsumer(new ConsoleProgressBarConsumer(err)).showSpeed().build();
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
