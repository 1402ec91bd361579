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

  /** The data set's name (the description's first word, e.g. {@code fashion-mnist}). */
  public String name() {
    int sp = description.indexOf(' ');
    return sp < 0 ? description : description.substring(0, sp);
  }
}
