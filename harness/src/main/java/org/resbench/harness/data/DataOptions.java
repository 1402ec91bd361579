package org.resbench.harness.data;

import java.nio.file.Path;

/**
 * How {@link Datasets} loads and prepares a data set. Immutable; start from {@link #defaults()} and change
 * fields with the {@code with...} methods. Every field is recorded in {@link DataSplits#provenance()}.
 *
 * @param dataDir the {@code --data-dir} folder searched first, or null
 * @param validationSize training examples held out for validation (He et al.: 5,000 of CIFAR-10's 50,000); 0 for none
 * @param dataSeed seeds the validation split and the synthetic set (not the batch order: that is the run's seed)
 * @param padTo the canvas size images are centred on (28x28 digits become 32x32); 0 keeps their size
 * @param normalization fixed per-channel statistics, or null to use the data set's own, computed from its
 *     whole official training split
 * @param augment whether {@link DataSplits#augmentation()} is He et al.'s pad-and-crop (true) or none
 * @param flip whether the augmentation flips horizontally; null for the data set's default (CIFAR yes, digits no)
 * @param verify whether files must match their known checksums and the official example counts
 * @param syntheticTrain examples in the synthetic training set (validation included)
 * @param syntheticTest examples in the synthetic test set
 */
public record DataOptions(Path dataDir, int validationSize, long dataSeed, int padTo, Normalization normalization,
    boolean augment, Boolean flip, boolean verify, int syntheticTrain, int syntheticTest) {

  public DataOptions {
    if (validationSize < 0) {
      throw new IllegalArgumentException("validation size " + validationSize + "; allowed: >= 0");
    }
    if (padTo < 0) {
      throw new IllegalArgumentException("pad-to " + padTo + "; allowed: 0 (no padding) or a size >= the images'");
    }
    if (syntheticTrain < 2 || syntheticTest < 1) {
      throw new IllegalArgumentException("synthetic sizes " + syntheticTrain + "/" + syntheticTest
          + "; allowed: >= 2 training and >= 1 test examples");
    }
  }

  /** No data folder, 5,000 validation examples, data seed 0, pad to 32, own statistics, augmentation on. */
  public static DataOptions defaults() {
    return new DataOptions(null, 5000, 0L, 32, null, true, null, true, 5000, 1000);
  }

  public DataOptions withDataDir(Path dir) {
    return new DataOptions(dir, validationSize, dataSeed, padTo, normalization, augment, flip, verify,
        syntheticTrain, syntheticTest);
  }

  public DataOptions withValidationSize(int size) {
    return new DataOptions(dataDir, size, dataSeed, padTo, normalization, augment, flip, verify, syntheticTrain,
        syntheticTest);
  }

  public DataOptions withDataSeed(long seed) {
    return new DataOptions(dataDir, validationSize, seed, padTo, normalization, augment, flip, verify,
        syntheticTrain, syntheticTest);
  }

  public DataOptions withPadTo(int size) {
    return new DataOptions(dataDir, validationSize, dataSeed, size, normalization, augment, flip, verify,
        syntheticTrain, syntheticTest);
  }

  public DataOptions withNormalization(Normalization n) {
    return new DataOptions(dataDir, validationSize, dataSeed, padTo, n, augment, flip, verify, syntheticTrain,
        syntheticTest);
  }

  public DataOptions withAugment(boolean on) {
    return new DataOptions(dataDir, validationSize, dataSeed, padTo, normalization, on, flip, verify,
        syntheticTrain, syntheticTest);
  }

  public DataOptions withFlip(Boolean on) {
    return new DataOptions(dataDir, validationSize, dataSeed, padTo, normalization, augment, on, verify,
        syntheticTrain, syntheticTest);
  }

  public DataOptions withVerify(boolean on) {
    return new DataOptions(dataDir, validationSize, dataSeed, padTo, normalization, augment, flip, on,
        syntheticTrain, syntheticTest);
  }

  public DataOptions withSyntheticSizes(int train, int test) {
    return new DataOptions(dataDir, validationSize, dataSeed, padTo, normalization, augment, flip, verify, train,
        test);
  }
}
