package org.resbench.harness.data.fetch;

import java.util.List;
import org.resbench.harness.data.DatasetDescriptor;

/**
 * No source could deliver a verified data set. The message lists each source tried and why it failed, and
 * how to supply the data set by hand. Nothing was left where the locator would accept it.
 */
public class FetchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final List<DataFetcher.Attempt> attempts;

  public FetchFailedException(DatasetDescriptor d, List<DataFetcher.Attempt> attempts) {
    super(message(d, attempts));
    this.attempts = List.copyOf(attempts);
  }

  /** Every source tried, in order, with its failure. */
  public List<DataFetcher.Attempt> attempts() {
    return attempts;
  }

  private static String message(DatasetDescriptor d, List<DataFetcher.Attempt> attempts) {
    StringBuilder sb = new StringBuilder("could not fetch " + d.title() + " (" + d.name() + ")");
    if (attempts.isEmpty()) {
      sb.append(": no source applies");
    } else {
      sb.append("; tried:");
      for (DataFetcher.Attempt a : attempts) {
        sb.append("\n  ").append(a.source()).append(": ").append(a.failure());
      }
    }
    return sb.append("\nBy hand: ").append(d.manualHint()).toString();
  }
}
