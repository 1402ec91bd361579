package org.resbench.experiments.bench;

/** What a benchmark times. */
public enum Measure {
  /** {@code Session.forward} with BN in inference mode: the harness path, host arrays in and out. */
  INFERENCE("inference", 2),
  /** The backend's own inference loop without the harness ({@code Backend.bareInference}). */
  BARE_INFERENCE("bare-inference", 2),
  /**
   * {@code Session.trainStep}: forward, loss, backward, SGD update. The cost model counts three products per
   * multiply-accumulate of the forward pass (forward, input gradient, weight gradient), the usual estimate; batch
   * statistics, element-wise work and the update are not counted.
   */
  TRAIN_STEP("train-step", 6);

  private final String label;
  private final int flopsPerMac;

  Measure(String label, int flopsPerMac) {
    this.label = label;
    this.flopsPerMac = flopsPerMac;
  }

  public String label() {
    return label;
  }

  /** Floating-point operations per example by the cost model, from the forward pass's multiply-accumulates. */
  public double flopsPerExample(long macsPerExample) {
    return (double) flopsPerMac * macsPerExample;
  }

  /** The measure with this label. */
  public static Measure ofLabel(String label) {
    for (Measure m : values()) {
      if (m.label.equals(label)) {
        return m;
      }
    }
    throw new IllegalArgumentException("measure '" + label + "'; allowed: inference, bare-inference, train-step");
  }
}
