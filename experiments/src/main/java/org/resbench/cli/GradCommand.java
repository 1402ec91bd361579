package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.GradientResult;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.Session;
import org.resbench.harness.io.NpyArray;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.tensor.HostTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * A backend's gradient of an objective with respect to the input (and optionally every parameter), for an input
 * given as a NumPy array, under the canonical semantics the conformance suite checks.
 */
@Command(name = "grad", mixinStandardHelpOptions = true,
    description = {"Compute, on one backend, the gradient of an objective with respect to the input in --input and "
        + "write it as a NumPy .npy file shaped like the input (float32); with --param-grads also the gradient with "
        + "respect to every trainable parameter, as a .npz keyed by parameter name (np.load(f)['block0.conv1.weight'])."
        + " The objective is the mean softmax cross-entropy over the batch with --labels (int64 [N]), or the sum of all"
        + " logits (--objective sum-logits). Semantics are the conformance suite's: BatchNorm with --bn train includes"
        + " the batch statistics' dependence on every example; parameter gradients are of the objective alone (no"
        + " weight decay).",
        "Exit 0 ok, 2 bad input (with the expected and received shape), 3 a backend that is unavailable or cannot "
            + "compute the gradients asked for, 4 an I/O error."})
final class GradCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Mixin
  ModelOptions model;

  @Option(names = "--labels", paramLabel = "FILE.npy",
      description = "Class labels, int64 [N] in 0..K-1: the objective is the mean cross-entropy.")
  Path labels;

  @Option(names = "--objective", paramLabel = "KIND",
      description = "cross-entropy (needs --labels; the default when they are given) or sum-logits (d sum(logits)/dx,"
          + " the shattered-gradients study's quantity).")
  String objective;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy",
      description = "Where to write d objective / d input.")
  Path out;

  @Option(names = "--param-grads", paramLabel = "FILE.npz",
      description = "Also write d objective / d parameter for every trainable parameter, keyed by its name.")
  Path paramGrads;

  @Override
  public Integer call() {
    BnMode bn = model.bnMode();
    BlockGates gates = model.blockGates();
    HostTensor x = model.inputTensor();
    int n = x.dim(0);
    Objective obj = objective(n);
    ModelState state = model.state();
    List<Capability> needed = new ArrayList<>(List.of(Capability.INPUT_GRADIENTS));
    if (paramGrads != null) {
      needed.add(Capability.PARAMETER_GRADIENTS);
    }
    Backend backend = model.chosenBackend(paramGrads != null ? "compute input and parameter gradients"
        : "compute input gradients", needed.toArray(new Capability[0]));
    GradientResult r;
    try (Session s = model.open(backend, state)) {
      r = s.gradients(GradientRequest.builder(x, obj).optBnMode(bn).optGates(gates)
          .optParameterGradients(paramGrads != null).build());
    }
    HostTensor g = r.inputGradient();
    Path written = NpyFiles.write(out, NpyArray.of(g.data(), g.shape()));
    PrintWriter w = cmd.commandLine().getOut();
    String objectiveName = obj instanceof Objective.CrossEntropy ? "mean cross-entropy" : "sum of logits";
    w.printf(Locale.ROOT, "wrote %s: d(%s)/d(input) (%s) float32 from %s, %s, %s, BN %s, gates %s; objective %s%n",
        written, objectiveName, ModelOptions.join(g.shape()), backend.name(), model.spec.name(),
        model.weightsDescription(), bn.name().toLowerCase(Locale.ROOT), model.gates, Double.toString(r.objective()));
    if (paramGrads != null) {
      Map<String, NpyArray> arrays = new LinkedHashMap<>();
      for (ParameterSpec p : model.spec.parameters()) {
        HostTensor t = r.parameterGradients().get(p.name());
        if (p.trainable() && t != null) {
          arrays.put(p.name(), NpyArray.of(t.data(), p.shape().dims()));
        }
      }
      Path npz = NpyFiles.writeNpz(paramGrads, arrays);
      w.printf(Locale.ROOT, "wrote %s: %d parameter gradients (float32, each in its parameter's shape)%n", npz,
          arrays.size());
    }
    return ExitCodes.OK;
  }

  private Objective objective(int n) {
    String kind = objective == null ? (labels != null ? "cross-entropy" : null) : objective.toLowerCase(Locale.ROOT);
    if (kind == null) {
      throw new IllegalArgumentException("no objective; allowed: --labels FILE.npy (mean cross-entropy) or"
          + " --objective sum-logits");
    }
    switch (kind) {
      case "cross-entropy" -> {
        if (labels == null) {
          throw new IllegalArgumentException("--objective cross-entropy needs --labels FILE.npy (int64 [N])");
        }
        return Objective.crossEntropy(labels(n));
      }
      case "sum-logits" -> {
        if (labels != null) {
          throw new IllegalArgumentException("--labels with --objective sum-logits; allowed: one of them");
        }
        return Objective.sumOfOutputs(n, model.spec.outputs());
      }
      default -> throw new IllegalArgumentException("--objective " + objective + "; allowed: cross-entropy,"
          + " sum-logits");
    }
  }

  /** The labels, checked: int64, shape (N,), each in 0..K-1. */
  private int[] labels(int n) {
    NpyArray a = ModelOptions.readArray("--labels", labels);
    int k = model.spec.outputs();
    if (a.dtype() != NpyArray.Dtype.INT64) {
      throw new IllegalArgumentException("--labels " + labels + ": dtype " + a.dtype().descr() + "; expected int64"
          + " '<i8' of shape (" + n + ",) (convert with y.astype(np.int64))");
    }
    int[] shape = a.shape();
    if (shape.length != 1 || shape[0] != n) {
      throw new IllegalArgumentException("--labels " + labels + ": shape (" + ModelOptions.join(shape)
          + (shape.length == 1 ? "," : "") + "); expected (" + n + ",), one label per example of --input");
    }
    long[] v = a.toLongs();
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      if (v[i] < 0 || v[i] >= k) {
        throw new IllegalArgumentException("--labels " + labels + ": label " + v[i] + " at position " + i
            + "; allowed: 0.." + (k - 1) + " (" + model.spec.name() + " has " + k + " outputs)");
      }
      out[i] = (int) v[i];
    }
    return out;
  }
}
