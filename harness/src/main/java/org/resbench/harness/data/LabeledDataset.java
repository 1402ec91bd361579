package org.resbench.harness.data;

import org.resbench.harness.spec.Shape;

/**
 * A random-access labelled data set of float32 examples, already preprocessed (normalised, padded) so that
 * backends receive exactly these values. Implementations are immutable after construction and thread-safe
 * for reads.
 */
public interface LabeledDataset {

  /** A short name for provenance and messages, e.g. {@code fashion-mnist/train}. */
  String name();

  /** The shape of one example. */
  Shape sampleShape();

  int numClasses();

  int size();

  /** Copies example {@code index} into {@code dst} at {@code offset} ({@code sampleShape().size()} floats). */
  void copyInput(int index, float[] dst, int offset);

  /** The label of example {@code index}, in [0, numClasses). */
  int label(int index);
}
