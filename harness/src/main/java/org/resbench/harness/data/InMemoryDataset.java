package org.resbench.harness.data;

import org.resbench.harness.spec.Shape;

/**
 * A {@link LabeledDataset} held as one contiguous {@code float[]} of all examples (example-major, each in
 * {@code sampleShape} order) and one {@code int[]} of labels.
 *
 * <p>Ownership: the constructor takes the arrays without copying; the caller hands them over and must not
 * change them afterwards. Immutable after construction and thread-safe for reads.
 */
public final class InMemoryDataset implements LabeledDataset {
  private final String name;
  private final Shape shape;
  private final int classes;
  private final float[] inputs;
  private final int[] labels;

  public InMemoryDataset(String name, Shape shape, int classes, float[] inputs, int[] labels) {
    if (classes < 1) {
      throw new IllegalArgumentException("data set '" + name + "': " + classes + " classes; allowed: >= 1");
    }
    if ((long) labels.length * shape.size() != inputs.length) {
      throw new IllegalArgumentException("data set '" + name + "': " + labels.length + " labels and "
          + inputs.length + " input floats for examples of " + shape + "; allowed: " + shape.size()
          + " floats per label");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("data set '" + name + "': label " + labels[i] + " of example " + i
            + "; allowed: 0.." + (classes - 1));
      }
    }
    this.name = name;
    this.shape = shape;
    this.classes = classes;
    this.inputs = inputs;
    this.labels = labels;
  }

  /** Copies {@code size} examples of {@code source} starting at {@code from} into a new data set. */
  public static InMemoryDataset copyOf(String name, LabeledDataset source, int from, int size) {
    if (from < 0 || size < 0 || from + size > source.size()) {
      throw new IllegalArgumentException("copy of '" + source.name() + "': examples " + from + ".." + (from + size)
          + " of " + source.size() + "; allowed: a range inside the data set");
    }
    int n = source.sampleShape().size();
    float[] x = new float[Math.multiplyExact(size, n)];
    int[] y = new int[size];
    for (int i = 0; i < size; i++) {
      source.copyInput(from + i, x, i * n);
      y[i] = source.label(from + i);
    }
    return new InMemoryDataset(name, source.sampleShape(), source.numClasses(), x, y);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Shape sampleShape() {
    return shape;
  }

  @Override
  public int numClasses() {
    return classes;
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public void copyInput(int index, float[] dst, int offset) {
    int n = shape.size();
    System.arraycopy(inputs, index * n, dst, offset, n);
  }

  @Override
  public int label(int index) {
    return labels[index];
  }

  @Override
  public String toString() {
    return "InMemoryDataset[" + name + ", " + labels.length + " x " + shape + ", " + classes + " classes]";
  }
}
