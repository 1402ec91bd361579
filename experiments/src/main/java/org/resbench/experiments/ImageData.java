package org.resbench.experiments;

import java.util.Optional;
import org.resbench.harness.data.Augmentation;
import org.resbench.harness.data.LabeledDataset;

/**
 * The image data an experiment run uses: a real data set, or the synthetic one (asked for, or as a fallback that
 * the run then announces). Immutable.
 *
 * @param train training examples (preprocessed; without the validation split when there is one)
 * @param validation the held-out validation split, or null
 * @param test test examples (preprocessed)
 * @param augmentation the training augmentation the data set calls for (pad-and-crop, flip for CIFAR-10)
 * @param description what it is and where it came from, for provenance
 * @param synthetic whether this is the synthetic set
 */
public record ImageData(LabeledDataset train, LabeledDataset validation, LabeledDataset test,
    Augmentation augmentation, String description, boolean synthetic) {

  /** Data without a validation split or augmentation. */
  public ImageData(LabeledDataset train, LabeledDataset test, String description, boolean synthetic) {
    this(train, null, test, Augmentation.NONE, description, synthetic);
  }

  /** The validation split, when there is one. */
  public Optional<LabeledDataset> validationSplit() {
    return Optional.ofNullable(validation);
  }

  /**
   * The same data with evaluation on at most the first {@code validationExamples} validation and
   * {@code testExamples} test examples (0 keeps a split whole): quicker evaluations for small profiles. The
   * description says so.
   */
  public ImageData limited(int validationExamples, int testExamples) {
    LabeledDataset v = validation == null || validationExamples <= 0 || validationExamples >= validation.size()
        ? validation : org.resbench.harness.data.InMemoryDataset.copyOf(validation.name(), validation, 0,
            validationExamples);
    LabeledDataset t = testExamples <= 0 || testExamples >= test.size() ? test
        : org.resbench.harness.data.InMemoryDataset.copyOf(test.name(), test, 0, testExamples);
    if (v == validation && t == test) {
      return this;
    }
    return new ImageData(train, v, t, augmentation, description + " [evaluated on " + (v == null ? 0 : v.size())
        + " validation and " + t.size() + " test examples]", synthetic);
  }

  /**
   * A short description for reports: the name, the split sizes, and whether it is synthetic (the full
   * provenance stays in {@link #description()}).
   */
  public String summary() {
    return name() + (synthetic ? " (synthetic)" : "") + String.format(java.util.Locale.ROOT,
        ": %,d training, %,d validation, %,d test examples", train.size(), validation == null ? 0
            : validation.size(), test.size());
  }

  /** The data set's name (the description's first word, e.g. {@code fashion-mnist}). */
  public String name() {
    int sp = description.indexOf(' ');
    return sp < 0 ? description : description.substring(0, sp);
  }
}
