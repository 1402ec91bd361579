package org.resbench.harness.data;

import java.util.SplittableRandom;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.tensor.HostTensor;

/**
 * Training batches: each epoch visits the data set in a fresh random order (Fisher-Yates from the stream
 * (seed, "data/order")), cut into full batches (the incomplete tail of an epoch is dropped, so every step
 * has the same shape); each example is augmented with the stream (seed, "data/augment"). Two samplers with
 * equal arguments produce identical batches. Not thread-safe: one consumer.
 */
public final class BatchSampler {
  private final LabeledDataset data;
  private final int batchSize;
  private final Augmentation augmentation;
  private final SplittableRandom orderRng;
  private final SplittableRandom augmentRng;
  private final int[] order;
  private int cursor;
  private int epoch;

  public BatchSampler(LabeledDataset data, int batchSize, long seed, Augmentation augmentation) {
    if (batchSize < 1 || batchSize > data.size()) {
      throw new IllegalArgumentException("batch size " + batchSize + " for data set '" + data.name() + "' of "
          + data.size() + " examples; allowed: 1.." + data.size());
    }
    this.data = data;
    this.batchSize = batchSize;
    this.augmentation = augmentation;
    this.orderRng = Rngs.stream(seed, "data/order");
    this.augmentRng = Rngs.stream(seed, "data/augment");
    this.order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    this.cursor = order.length; // forces a shuffle on the first call
    this.epoch = -1;
  }

  /** The next batch, shuffling at each epoch boundary. */
  public Batch next() {
    if (cursor + batchSize > order.length) {
      shuffle();
      cursor = 0;
      epoch++;
    }
    int n = data.sampleShape().size();
    float[] x = new float[batchSize * n];
    int[] y = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      int idx = order[cursor + i];
      data.copyInput(idx, x, i * n);
      augmentation.apply(x, i * n, data.sampleShape(), augmentRng);
      y[i] = data.label(idx);
    }
    cursor += batchSize;
    int[] shape = new int[data.sampleShape().rank() + 1];
    shape[0] = batchSize;
    System.arraycopy(data.sampleShape().dims(), 0, shape, 1, shape.length - 1);
    return new Batch(HostTensor.of(x, shape), y);
  }

  /** Epochs started so far minus one (0 during the first epoch). */
  public int epoch() {
    return Math.max(0, epoch);
  }

  /** Full batches per epoch. */
  public int batchesPerEpoch() {
    return data.size() / batchSize;
  }

  private void shuffle() {
    for (int i = order.length - 1; i > 0; i--) {
      int j = orderRng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
  }

  /** Examples {@code from .. to-1} in order, unaugmented: for evaluation. */
  public static Batch slice(LabeledDataset data, int from, int to) {
    if (from < 0 || to > data.size() || from >= to) {
      throw new IllegalArgumentException("slice " + from + ".." + to + " of '" + data.name() + "' ("
          + data.size() + " examples); allowed: 0 <= from < to <= size");
    }
    int n = data.sampleShape().size();
    float[] x = new float[(to - from) * n];
    int[] y = new int[to - from];
    for (int i = from; i < to; i++) {
      data.copyInput(i, x, (i - from) * n);
      y[i - from] = data.label(i);
    }
    int[] shape = new int[data.sampleShape().rank() + 1];
    shape[0] = to - from;
    System.arraycopy(data.sampleShape().dims(), 0, shape, 1, shape.length - 1);
    return new Batch(HostTensor.of(x, shape), y);
  }
}
