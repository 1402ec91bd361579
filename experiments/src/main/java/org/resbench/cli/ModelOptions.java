package org.resbench.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.resbench.experiments.training.TrainedWeights;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.io.Npy;
import org.resbench.harness.io.NpyArray;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.results.ResultsStore;
import org.resbench.results.training.CheckpointFiles;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What {@code predict} and {@code grad} share: the spec, the backend, the weights (a seed or trained weights), the
 * input as a NumPy {@code .npy} file, the BatchNorm mode and the block gates. Each is resolved once and checked
 * against the spec, so a wrong shape, type or gate count is a usage error (exit 2) that names what was expected and
 * what was received; a backend that is unavailable or lacks a capability is exit 3 and says which backends can.
 */
final class ModelOptions {
  @Parameters(index = "0", paramLabel = "SPEC", converter = SpecConverter.class,
      description = "A spec name, e.g. resnet-20 (see 'resbench specs').")
  ModelSpec spec;

  @Option(names = "--backend", required = true, paramLabel = "NAME",
      description = "The backend that computes (see 'resbench backends').")
  String backend;

  @Option(names = "--seed", paramLabel = "S",
      description = "Weights drawn from seed S, as every experiment and 'resbench export' draw them (default: 0).")
  Long seed;

  @Option(names = "--weights", paramLabel = "WEIGHTS",
      description = "Trained weights instead: run:ID, run:ID/CELL or a checkpoint file (step-NNNNNNN.npz).")
  String weights;

  @Option(names = "--input", required = true, paramLabel = "FILE.npy",
      description = "The input: a float32 array [N, C, H, W] for CNNs or [N, features] for MLPs, C order.")
  Path input;

  @Option(names = "--bn", defaultValue = "inference", paramLabel = "MODE",
      description = "BatchNorm statistics: inference (running statistics, the default) or train (the batch's).")
  String bn;

  @Option(names = "--gates", defaultValue = "inference", paramLabel = "GATES",
      description = "Block gates: inference (1, or stochastic depth's survival probabilities; the default), ones,"
          + " or one value in [0, 1] per block, comma-separated (0 removes a block).")
  String gates;

  @Option(names = "--threads", defaultValue = "0", paramLabel = "N",
      description = "Intra-op threads; 0 = the engine's default (all cores).")
  int threads;

  @Mixin
  ResultsOption results;

  /** The BatchNorm mode named by {@code --bn}. */
  BnMode bnMode() {
    return switch (bn.toLowerCase(Locale.ROOT)) {
      case "inference", "eval" -> BnMode.INFERENCE;
      case "train", "training" -> BnMode.TRAIN;
      default -> throw new IllegalArgumentException("--bn " + bn + "; allowed: inference, train");
    };
  }

  /** The gates named by {@code --gates}, one per block of the spec. */
  BlockGates blockGates() {
    return parseGates(gates, spec);
  }

  static BlockGates parseGates(String text, ModelSpec spec) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.equals("inference")) {
      return BlockGates.inference(spec);
    }
    if (t.equals("ones")) {
      return BlockGates.ones(spec);
    }
    String[] parts = t.split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Float.parseFloat(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--gates " + text + ": '" + parts[i].trim() + "' is not a number; allowed:"
            + " inference, ones, or " + spec.blocks().size() + " comma-separated values in [0, 1]");
      }
    }
    if (v.length != spec.blocks().size()) {
      throw new IllegalArgumentException("--gates " + text + ": " + v.length + " values for " + spec.name() + ", which"
          + " has " + spec.blocks().size() + " blocks; allowed: inference, ones, or " + spec.blocks().size()
          + " comma-separated values in [0, 1]");
    }
    try {
      return BlockGates.of(v).requireFor(spec);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--gates " + text + ": " + e.getMessage());
    }
  }

  /** The input, read and checked: float32, rank 2 or 4, the spec's shape after the batch dimension. */
  HostTensor inputTensor() {
    NpyArray a = readArray("--input", input);
    int[] expected = spec.inputShape().dims();
    String want = "(N, " + join(expected) + ")";
    if (a.dtype() != NpyArray.Dtype.FLOAT32) {
      throw new IllegalArgumentException("--input " + input + ": dtype " + a.dtype().descr() + " ("
          + a.dtype().name().toLowerCase(Locale.ROOT) + "); expected float32 '<f4' of shape " + want + " for "
          + spec.name() + " (convert with x.astype(np.float32))");
    }
    int[] got = a.shape();
    boolean ok = got.length == expected.length + 1 && got[0] >= 1
        && Arrays.equals(Arrays.copyOfRange(got, 1, got.length), expected);
    if (!ok) {
      throw new IllegalArgumentException("--input " + input + ": shape (" + join(got) + "); expected " + want
          + " for " + spec.name() + " with N >= 1 examples");
    }
    return HostTensor.of((float[]) a.data(), got);
  }

  /** A NumPy file named by {@code option}: a missing file is bad input (exit 2), an unreadable one an I/O error. */
  static NpyArray readArray(String option, Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new IllegalArgumentException(option + " " + file + ": no such file; allowed: a NumPy .npy file"
          + " (numpy.save)");
    }
    return Npy.read(file);
  }

  /** The weights: trained ones from {@code --weights}, else those drawn from {@code --seed} (default 0). */
  ModelState state() {
    if (weights != null && seed != null) {
      throw new IllegalArgumentException("--seed " + seed + " and --weights " + weights + " together; allowed: one"
          + " of them");
    }
    if (weights == null) {
      return Initializer.initialize(spec, seed == null ? 0 : seed);
    }
    Path file = TrainedWeights.resolve(weights, resultsRoot());
    ModelState state = CheckpointFiles.read(file).state().model();
    if (!state.spec().hash().equals(spec.hash())) {
      throw new IllegalArgumentException("--weights " + weights + " (" + file + ") holds " + state.spec().name()
          + " (hash " + state.spec().hash() + "); expected " + spec.name() + " (hash " + spec.hash() + "); give the"
          + " checkpoint's spec, " + state.spec().name());
    }
    return state;
  }

  /** What the weights are, for the summary line. */
  String weightsDescription() {
    return weights != null ? "weights " + weights : "seed " + (seed == null ? 0 : seed);
  }

  private Path resultsRoot() {
    return results != null && results.dir != null ? results.dir : ResultsStore.defaultRoot();
  }

  /**
   * The backend, probed: unknown names are usage errors (exit 2), an unavailable backend or one that lacks any of
   * {@code needed} is exit 3 with the reason and the backends that can.
   */
  Backend chosenBackend(String what, Capability... needed) {
    Backends all = Backends.discover();
    Backend b = all.get(backend.trim());
    Capabilities c = b.probe();
    if (!c.available()) {
      throw new BackendException(b.name(), "is unavailable here: " + c.unavailableReason());
    }
    List<String> missing = new ArrayList<>();
    for (Capability n : needed) {
      if (!c.can(n)) {
        missing.add(name(n));
      }
    }
    if (!missing.isEmpty()) {
      List<String> able = all.all().stream().filter(x -> x != b && Arrays.stream(needed).allMatch(n -> x.probe()
          .can(n))).map(Backend::name).toList();
      throw new BackendException(b.name(), "cannot " + what + " (it lacks " + String.join(", ", missing)
          + "; it can: " + String.join(", ", c.supported().stream().sorted().map(ModelOptions::name).toList())
          + "); backends here that can: " + (able.isEmpty() ? "none" : String.join(", ", able)));
    }
    return b;
  }

  /** Opens a session of the chosen backend with the weights. */
  Session open(Backend b, ModelState state) {
    return b.open(spec, state, SessionOptions.builder().optThreads(threads).build());
  }

  static String name(Capability c) {
    return c.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static String join(int[] dims) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < dims.length; i++) {
      s.append(i > 0 ? ", " : "").append(dims[i]);
    }
    return s.toString();
  }
}
