package org.resbench.harness.backend;

import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;

/**
 * A model loaded into one backend: created by {@link Backend#open}, owning every native object it made, and
 * releasing them in {@link #close()} (idempotent; any other call after close, {@link #spec()} and
 * {@link #backendName()} included, throws {@link IllegalStateException} with
 * {@link SessionGuard#closedMessage}). Not thread-safe: one owner thread at a time.
 *
 * <h2>Arguments (the same on every backend, checked by {@link SessionChecks})</h2>
 * No argument may be null: a null input, BatchNorm mode, gates, labels, probe-point list, request or state throws
 * {@link IllegalArgumentException} ({@code gates=null; allowed: ...}). In particular null gates are not "all ones":
 * pass {@link BlockGates#ones} or, for the network a stochastic-depth spec infers with, {@link BlockGates#inference}.
 * Only a {@link GradientRequest}'s gates and path mask are optional (its builder documents the defaults). Every other
 * bad argument (wrong shape, label out of range, gates or mask of the wrong length, learning rate not finite and
 * >= 0, state of another spec) is an {@link IllegalArgumentException} whose message names the field and says what is
 * allowed. A call the backend cannot make (a capability it lacks) throws {@link BackendException}; a closed session
 * throws {@link IllegalStateException} before either.
 *
 * <h2>Canonical semantics (every backend implements exactly this)</h2>
 * <ul>
 *   <li>Tensors are float32, NCHW (or NC), row-major. Inputs and outputs are host arrays with shapes.
 *   <li>Layers: see each {@link org.resbench.harness.spec.Layer} record. BatchNorm in {@link BnMode#TRAIN}
 *       normalises with the batch mean and the biased batch variance; in {@link BnMode#INFERENCE} with the
 *       running statistics. Only {@link #trainStep} changes the running statistics:
 *       {@code running = (1 - m) * running + m * batch}, m = the layer's momentum (0.1), using the unbiased
 *       batch variance (PyTorch's convention; map ONNX's and DJL's opposite convention explicitly).
 *   <li>Blocks and gates: residual {@code y = post(S(x) + g F(x))}, plain
 *       {@code y = post((1 - g) S(x) + g F(x))}, with {@code g} from {@link BlockGates}. A block whose gate
 *       is exactly 0 in a training step counts as not run: the running statistics of BatchNorm layers in its
 *       branch stay unchanged (as when stochastic depth skips the branch); its parameters still receive the
 *       SGD update with a zero gradient (weight decay and momentum still act).
 *   <li>Gradients in {@link BnMode#TRAIN} include the dependence of the batch statistics on every example
 *       (full BatchNorm backward); in {@link BnMode#INFERENCE} the statistics are constants.
 *   <li>The option-A shortcut's gradient scatters back to the subsampled positions; the padded channels'
 *       gradient is dropped.
 *   <li>Backward path masks ({@link PathMask}) scale the gradient through a block's branch and shortcut
 *       without changing forward values.
 *   <li>Loss: mean softmax cross-entropy over the batch; or {@code sum(cotangent * output)}
 *       ({@link Objective}).
 *   <li>SGD: {@link SgdConfig}, applied to every trainable parameter, with the learning rate passed per step.
 *       Parameter gradients returned by {@link #gradients} are of the objective alone (no weight decay).
 *   <li>ReLU's derivative at exactly 0 is 0.
 * </ul>
 */
public interface Session extends AutoCloseable {

  /** The spec this session runs. */
  ModelSpec spec();

  /** The name of the backend that opened it. */
  String backendName();

  /**
   * Forward pass: returns the output {@code [N, outputs]}. With {@link BnMode#TRAIN} BatchNorm uses batch
   * statistics but the running statistics are left unchanged.
   *
   * @param gates one per block, required (null throws {@link IllegalArgumentException})
   */
  HostTensor forward(HostTensor input, BnMode bnMode, BlockGates gates);

  /** Objective value, output, and the requested gradients. Changes no state. */
  GradientResult gradients(GradientRequest request);

  /**
   * One training step: forward with BN in training mode and the given gates, mean cross-entropy, backward,
   * the canonical SGD update with {@code learningRate} (momentum, weight decay and Nesterov from
   * {@link SessionOptions#sgd()}), and the running-statistics update.
   *
   * @param gates one per block, required (null throws {@link IllegalArgumentException})
   */
  StepResult trainStep(HostTensor input, int[] labels, BlockGates gates, double learningRate);

  /**
   * The values at the named probe points ({@link org.resbench.harness.spec.ProbePoint}) in one forward pass,
   * each {@code [N, ...shape]}, in the order asked. Changes no state. Backends without
   * {@link Capability#ACTIVATIONS} throw {@link BackendException}; they still override this method to throw
   * {@link IllegalStateException} once closed (this default cannot know).
   *
   * @param gates one per block, required (null throws {@link IllegalArgumentException})
   */
  default java.util.Map<String, HostTensor> activations(HostTensor input, BnMode bnMode, BlockGates gates,
      java.util.List<String> probePoints) {
    throw new BackendException(backendName(), "cannot report activations inside the model; backends with the"
        + " 'activations' capability can (see 'resbench backends')");
  }

  /** A copy of the current parameters and BatchNorm statistics. */
  ModelState readState();

  /** Replaces parameters and BatchNorm statistics; resets the momentum buffers to zero. */
  void loadState(ModelState state);

  /**
   * A copy of everything a training step depends on besides its inputs: parameters, BatchNorm statistics and
   * momentum buffers, in the backend's own precision. Loading it into a new session of the same backend (with
   * the same options) and training on continues exactly as this session would; loading it into another backend
   * continues within that backend's tolerances. Backends without {@link Capability#TRAINING} throw
   * {@link BackendException}.
   */
  default TrainingState readTrainingState() {
    throw new BackendException(backendName(), "does not train, so it has no training state; training backends"
        + " do (see 'resbench backends')");
  }

  /**
   * Replaces parameters, BatchNorm statistics and momentum buffers with {@code state}'s (converted to this
   * backend's precision). Backends without {@link Capability#TRAINING} throw {@link BackendException}.
   */
  default void loadTrainingState(TrainingState state) {
    throw new BackendException(backendName(), "does not train, so it cannot load a training state; training"
        + " backends can (see 'resbench backends')");
  }

  /** Releases every native object; idempotent. */
  @Override
  void close();
}
