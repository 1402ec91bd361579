package org.resbench.harness.data;

import java.util.Map;
import java.util.Optional;

/**
 * A loaded data set ready for training: the training split (validation examples removed), the held-out
 * validation split (if any), the test split, the augmentation to train with, the normalisation that was
 * applied, and a provenance record of where everything came from. Immutable and thread-safe; it owns the
 * data sets' arrays.
 */
public final class DataSplits {
  private final String dataset;
  private final boolean synthetic;
  private final LabeledDataset train;
  private final LabeledDataset validation;
  private final LabeledDataset test;
  private final Augmentation augmentation;
  private final Normalization normalization;
  private final Map<String, String> provenance;

  /**
   * @param validation null when nothing is held out
   * @param normalization null for the synthetic set, which is generated already normalised
   */
  public DataSplits(String dataset, boolean synthetic, LabeledDataset train, LabeledDataset validation,
      LabeledDataset test, Augmentation augmentation, Normalization normalization, Map<String, String> provenance) {
    this.dataset = dataset;
    this.synthetic = synthetic;
    this.train = train;
    this.validation = validation;
    this.test = test;
    this.augmentation = augmentation;
    this.normalization = normalization;
    this.provenance = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
  }

  /** The data set's name ({@code fashion-mnist}, or {@code synthetic}). */
  public String dataset() {
    return dataset;
  }

  /** Whether this is the generated synthetic set (possibly standing in for a missing real one). */
  public boolean synthetic() {
    return synthetic;
  }

  public LabeledDataset train() {
    return train;
  }

  public Optional<LabeledDataset> validation() {
    return Optional.ofNullable(validation);
  }

  public LabeledDataset test() {
    return test;
  }

  /** The training augmentation ({@link Augmentation#NONE} when turned off). */
  public Augmentation augmentation() {
    return augmentation;
  }

  /** The normalisation applied to every split, if any. */
  public Optional<Normalization> normalization() {
    return Optional.ofNullable(normalization);
  }

  /** Where the data came from and how it was prepared, as ordered key/value pairs for run records. */
  public Map<String, String> provenance() {
    return provenance;
  }

  @Override
  public String toString() {
    return "DataSplits[" + dataset + (synthetic ? " (synthetic)" : "") + ": train " + train.size() + ", validation "
        + (validation == null ? 0 : validation.size()) + ", test " + test.size() + "]";
  }
}
