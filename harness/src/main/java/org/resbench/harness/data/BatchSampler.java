package org.resbench.harness.data;

import java.util.SplittableRandom;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.tensor.HostTensor;

/**
 * Training batches: each epoch visits the data set in a fresh random order (a Fisher-Yates shuffle of 0..n-1 from
 * the stream (seed, "data/order/EPOCH")), cut into full batches (the incomplete tail of an epoch is dropped, so
 * every step has the same shape); the examples of step s are augmented with the stream (seed,
 * "data/augment/s"). Every random choice is a function of (seed, position), so a sampler started at step s
 * produces exactly the batches an uninterrupted one produces from step s on: that is all a resumed training run
 * needs to record of the data order (its step). Two samplers with equal arguments produce identical batches.
 * Not thread-safe: one consumer.
 */
public final class BatchSampler {
  private final LabeledDataset data;
  private final int batchSize;
  private final Augmentation augmentation;
  private final long seed;
  private final int[] order;
  private long step;
  private int epoch;

  /** A sampler at step 0. */
  public BatchSampler(LabeledDataset data, int batchSize, long seed, Augmentation augmentation) {
    this(data, batchSize, seed, augmentation, 0);
  }

  /** A sampler positioned before step {@code startStep} (0 = the beginning). */
  public BatchSampler(LabeledDataset data, int batchSize, long seed, Augmentation augmentation, long startStep) {
    if (batchSize < 1 || batchSize > data.size()) {
      throw new IllegalArgumentException("batch size " + batchSize + " for data set '" + data.name() + "' of "
          + data.size() + " examples; allowed: 1.." + data.size());
    }
    if (startStep < 0) {
      throw new IllegalArgumentException("start step " + startStep + "; allowed: 0 or more");
    }
    this.data = data;
    this.batchSize = batchSize;
    this.augmentation = augmentation;
    this.seed = seed;
    this.order = new int[data.size()];
    this.step = startStep;
    this.epoch = -1;
  }

  /** The next batch. */
  public Batch next() {
    int perEpoch = batchesPerEpoch();
    int e = Math.toIntExact(step / perEpoch);
    int cursor = (int) (step % perEpoch) * batchSize;
    if (e != epoch) {
      shuffle(e);
    }
    SplittableRandom augmentRng = Rngs.stream(seed, "data/augment/" + step);
    int n = data.sampleShape().size();
    float[] x = new float[batchSize * n];
    int[] y = new int[batchSize];
    for (int i = 0; i < batchSize; i++) {
      int idx = order[cursor + i];
      data.copyInput(idx, x, i * n);
      augmentation.apply(x, i * n, data.sampleShape(), augmentRng);
      y[i] = data.label(idx);
    }
    step++;
    int[] shape = new int[data.sampleShape().rank() + 1];
    shape[0] = batchSize;
    System.arraycopy(data.sampleShape().dims(), 0, shape, 1, shape.length - 1);
    return new Batch(HostTensor.of(x, shape), y);
  }

  /** The step the next batch is for. */
  public long step() {
    return step;
  }

  /** The epoch of the next batch (0 for the first). */
  public int epoch() {
    return Math.toIntExact(step / batchesPerEpoch());
  }

  /** The position of the next batch within its epoch, in batches. */
  public int batchInEpoch() {
    return (int) (step % batchesPerEpoch());
  }

  /** Full batches per epoch. */
  public int batchesPerEpoch() {
    return data.size() / batchSize;
  }

  private void shuffle(int e) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom orderRng = Rngs.stream(seed, "data/order/" + e);
    for (int i = order.length - 1; i > 0; i--) {
      int j = orderRng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    epoch = e;
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
