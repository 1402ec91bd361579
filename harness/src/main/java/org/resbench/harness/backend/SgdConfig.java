package org.resbench.harness.backend;

/**
 * The canonical SGD update, the same on every backend, applied to every trainable parameter (BatchNorm
 * scale and shift and biases included):
 * <pre>
 * g' = g + weightDecay * w
 * v  = momentum * v + g'                 (v starts at 0)
 * w  = w - lr * v                        (plain)
 * w  = w - lr * (g' + momentum * v)      (Nesterov)
 * </pre>
 * The learning rate is not here: the harness computes it per step and passes it to
 * {@link Session#trainStep}. Immutable.
 */
public record SgdConfig(double momentum, double weightDecay, boolean nesterov) {

  /** He et al. 2016: momentum 0.9, weight decay 1e-4, no Nesterov. */
  public static final SgdConfig HE_2016 = new SgdConfig(0.9, 1e-4, false);

  public SgdConfig {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum=" + momentum + "; allowed: [0, 1)");
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weightDecay=" + weightDecay + "; allowed: a finite value >= 0");
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("nesterov=true with momentum=0; allowed: Nesterov only with momentum > 0");
    }
  }
}
