package org.resbench.experiments.bench;

/** What a benchmark times. */
public enum Measure {
  /** {@code Session.forward} with BN in inference mode: the harness path, host arrays in and out. */
  INFERENCE("inference"),
  /** The backend's own inference loop without the harness ({@code Backend.bareInference}). */
  BARE_INFERENCE("bare-inference"),
  /** {@code Session.trainStep}: forward, loss, backward, SGD update. */
  TRAIN_STEP("train-step");

  private final String label;

  Measure(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
