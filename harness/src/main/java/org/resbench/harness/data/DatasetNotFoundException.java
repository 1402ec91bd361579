package org.resbench.harness.data;

import java.util.List;

/**
 * A data set that is in none of the places the locator searched. The message lists every place looked in,
 * with why it was not accepted, and the command that fetches the data set. It is an
 * {@link IllegalArgumentException}, so the command line exits with the usage code.
 */
public class DatasetNotFoundException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String dataset;
  private final List<String> looked;

  public DatasetNotFoundException(DatasetDescriptor dataset, List<String> looked) {
    super(message(dataset, looked));
    this.dataset = dataset.name();
    this.looked = List.copyOf(looked);
  }

  /** The data set's name. */
  public String dataset() {
    return dataset;
  }

  /** Each place looked in, with the reason it was not accepted. */
  public List<String> looked() {
    return looked;
  }

  private static String message(DatasetDescriptor d, List<String> looked) {
    StringBuilder sb = new StringBuilder("data set '" + d.name() + "' (" + d.title() + ") not found. Looked in:");
    for (String l : looked) {
      sb.append("\n  ").append(l);
    }
    sb.append("\nTo get it: ").append(d.fetchCommand()).append("\nBy hand: ").append(d.manualHint());
    return sb.toString();
  }
}
