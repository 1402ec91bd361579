package org.resbench.harness.conformance;

/**
 * The one place where conformance tolerances are stated, each with the reason for its size. They compare a
 * float32 engine with the float64 reference on the conformance suite's small nets (depth 8 to 11, inputs
 * of 3x8x8, batch 4; see {@link ConformanceRunner}); a larger net or batch accumulates more rounding and may
 * need {@link Tolerance#times looser} bounds in a parity report. Stateless.
 *
 * <h2>Where the size comes from</h2>
 * float32 rounds each operation to a relative 6e-8 (half an ulp). A convolution or linear output sums up to
 * a few thousand products (ResNeXt's 1x1 convolutions over 512 channels, 3x3 convolutions over 64), so its
 * error is ~1e-7..1e-6 of the size of its terms; BatchNorm divides by the batch standard deviation over as
 * few as 16 values, and about ten such layers compound: the logits of a correct engine differ from the
 * reference by ~1e-6..1e-5 of their RMS. Backward passes cancel more (BatchNorm's
 * {@code dy - mean(dy) - xhat mean(dy xhat)}, sums over the batch of terms of both signs), losing another one
 * to two digits on individual elements; hence 1e-3 for gradients. Every bound leaves about a factor of 10
 * over these estimates, and is still far below what a semantic mistake costs (relative errors of 1e-2 to 1
 * on the suite's nets; see Evidence).
 *
 * <h2>Evidence</h2>
 * The reference with every stored tensor rounded to float32 (weights, activations, gradients; a model of a
 * float32 engine without its accumulation error) passes the whole suite with worst error/bound ratios of
 * 3e-3 (logits), 7e-3 (gradients), 1e-2 (k steps) and 6e-2 (one step's parameter change, where rounding
 * the weights themselves counts): the headroom left for accumulation order. Planted semantic mistakes
 * (weight decay left out or added to reported gradients, Nesterov ignored, the opposite BatchNorm momentum
 * convention, a zero gate that still runs its branch, path masks ignored, fractional gates rounded, batch
 * statistics in inference mode) miss their bounds by factors of 300 to 16000 (harness tests
 * {@code Float32StorageConformanceTest}, {@code SuiteCatchesMistakesTest}). These bounds have not yet met a real
 * engine; if one fails by a small
 * factor on a net where nothing is wrong, widen the bound here, with the measurement as its reason.
 *
 * <h2>Why a scaled floor</h2>
 * See {@link Tolerance}: an element's error scales with the tensor (RMS), not with the element, so relative
 * errors on tiny elements mean nothing. Every tensor quantity therefore has {@code scaled == relative}: an
 * element may be off by {@code relative * (|expected| + rms)}. Tensors that are exactly 0 (the gradient of a
 * lesioned branch) must come out within {@link #ZERO_FLOOR}.
 *
 * <h2>ReLU masks</h2>
 * A ReLU input within rounding distance of 0 may land on the other side of the kink in float32; its
 * gradient then differs discretely (by the whole local gradient), which no reasonable tolerance absorbs.
 * Checks therefore choose inputs on which the reference's {@link #RELU_MARGIN} is respected.
 */
public final class Tolerances {
  private Tolerances() {}

  /**
   * The smallest allowed distance of any ReLU input from 0, relative to the RMS of that ReLU's input, in
   * the reference's passes for a check's inputs. A float32 engine's pre-activation error is about
   * {@code 6e-8 sqrt(K)} of the RMS for a sum of K terms (1.4e-6 at K = 576, less with blocked sums), so
   * 5e-6 leaves a factor of about 4. Checks try further seeded inputs until it holds (on ResNeXt-11 at
   * batch 4, with ~1e5 ReLU inputs per pass, about one input in three qualifies for a two-pass check).
   */
  public static final double RELU_MARGIN = 5e-6;

  /** The absolute floor for elements that are exactly 0 in the reference: float32 noise of values ~1. */
  public static final double ZERO_FLOOR = 1e-7;

  /**
   * Every element may also be off by this fraction of the RMS over all expected tensors of its quantity in one
   * comparison (e.g. all parameter gradients of a net). It matters only for tensors that are tiny next to
   * their siblings, above all those that are exactly 0 in exact arithmetic while a float32 engine returns
   * rounding noise at the scale of the neighbouring tensors: the gradient of a bias that feeds a
   * training-mode BatchNorm (which removes any shift) is a sum over the batch of BatchNorm input gradients
   * that cancels exactly; in float32 it comes out at ~1e-7..1e-6 of the net's gradient scale. Applied by
   * {@link Comparison#of}.
   */
  public static final double QUANTITY_FLOOR = 1e-4;

  /**
   * Forward outputs: ~1e-5 expected float32 error after ten normalised layers, times 10. Activations inside
   * the model are forward values too, with no more layers behind them than the logits, so they share it.
   */
  public static final Tolerance LOGITS = new Tolerance(1e-4, 1e-4, ZERO_FLOOR);

  /**
   * The loss: the log-sum-exp of logits with relative error 1e-5 plus float32 rounding of the mean; scaled
   * is 0 because a scalar's RMS is itself. An output-cotangent objective {@code sum(c * y)} cancels (terms of
   * both signs), so it is compared with an extra absolute floor of {@code relative * sum|c * y|} (see
   * {@link ConformanceRunner}).
   */
  public static final Tolerance LOSS = new Tolerance(1e-4, 0, ZERO_FLOOR);

  /** Gradients (input and parameters, masked or not): the forward error plus 1-2 digits of cancellation. */
  public static final Tolerance GRADIENTS = new Tolerance(1e-3, 1e-3, ZERO_FLOOR);

  /**
   * Running statistics after one step: {@code 0.9 old + 0.1 batch}, where the batch mean and variance carry
   * the forward error (~1e-5) and old is exact. A biased variance in place of the unbiased one changes the
   * running variance by {@code 0.1 var / (M - 1)}: 7e-3 at the 16 values per channel of the suite's last
   * stage (2x2 maps, batch 4), far above this bound.
   */
  public static final Tolerance RUNNING_STATISTICS = new Tolerance(1e-4, 1e-4, ZERO_FLOOR);

  /**
   * One SGD step's parameter change {@code w_1 - w_0}: compared as a change, so that it is measured against
   * its own size (~lr * gradient) rather than against the weight; the change inherits the gradient's error,
   * plus float32 rounding of w (3e-8 |w| against changes of ~1e-4 |w| and more).
   */
  public static final Tolerance PARAMETER_UPDATE = new Tolerance(1e-3, 1e-3, ZERO_FLOOR);

  /**
   * k SGD steps ({@code w_k - w_0}, k = 3): each step's gradient is taken at slightly different weights
   * (float32 weights against float64 ones), so errors compound; twice the one-step bound.
   */
  public static final Tolerance TRAJECTORY_PARAMETERS = new Tolerance(2e-3, 2e-3, ZERO_FLOOR);

  /** Running statistics after k steps: the one-step reasoning at weights that have drifted; 10x looser. */
  public static final Tolerance TRAJECTORY_RUNNING_STATISTICS = new Tolerance(1e-3, 1e-3, ZERO_FLOOR);

  /** The tolerance of {@code q}. */
  public static Tolerance of(Quantity q) {
    return switch (q) {
      case LOGITS_INFERENCE, LOGITS_TRAIN, ACTIVATIONS -> LOGITS;
      case LOSS -> LOSS;
      case INPUT_GRADIENT, PARAMETER_GRADIENT, MASKED_INPUT_GRADIENT, MASKED_PARAMETER_GRADIENT -> GRADIENTS;
      case RUNNING_STATISTICS -> RUNNING_STATISTICS;
      case PARAMETER_UPDATE -> PARAMETER_UPDATE;
      case TRAJECTORY_PARAMETERS -> TRAJECTORY_PARAMETERS;
      case TRAJECTORY_RUNNING_STATISTICS -> TRAJECTORY_RUNNING_STATISTICS;
    };
  }
}
