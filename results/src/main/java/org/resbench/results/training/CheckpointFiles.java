package org.resbench.results.training;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.resbench.harness.backend.TrainingState;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.harness.io.Npy;
import org.resbench.harness.io.NpyArray;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * Checkpoint files: NumPy {@code .npz} archives, so any backend (and NumPy itself) can read them. Entries:
 * <ul>
 *   <li>{@code checkpoint.json}: {@link Checkpoint.About} (spec, backend, seed, step, divergence scale, last
 *       evaluation, weights hash, ...);
 *   <li>{@code value/NAME.npy}: every parameter and BatchNorm statistic in its spec shape, float32 (or float64
 *       for the float64 reference, so it resumes without rounding);
 *   <li>{@code momentum/NAME.npy}: the SGD momentum buffer of every trainable parameter, same dtype;
 *   <li>{@code history/loss.npy}, {@code learning_rate}, {@code train_error}, {@code step_seconds} (float32) and
 *       {@code active_blocks} (int64): one value per completed step; {@code history/evaluations.npy}: float64
 *       rows (step, training error %, validation error %, validation loss).
 * </ul>
 * In NumPy: {@code z = np.load("step-0000400.npz"); z["value/block0.conv1.weight"]}. Files are written
 * atomically (a half-written checkpoint is never seen) under the name {@code step-NNNNNNN.npz}. Stateless and
 * thread-safe.
 */
public final class CheckpointFiles {
  private CheckpointFiles() {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Pattern NAME = Pattern.compile("step-(\\d+)\\.npz");
  /** Largest array a checkpoint entry may hold (2 GiB; the largest spec, ResNeXt-29 16x64d, needs 0.3 GiB). */
  private static final long MAX_ENTRY = Integer.MAX_VALUE - 8L;

  /** The file name of the checkpoint after {@code step} steps. */
  public static String fileName(int step) {
    return String.format(java.util.Locale.ROOT, "step-%07d.npz", step);
  }

  /** Writes {@code c} as {@code dir/step-NNNNNNN.npz}, atomically; returns the file. */
  public static Path write(Path dir, Checkpoint c) {
    boolean f64 = c.state().precision() == TrainingState.Precision.FLOAT64;
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    for (ParameterSpec p : c.state().spec().parameters()) {
      arrays.put("value/" + p.name(), array(c.state().values().get(p.name()), p.shape().dims(), f64));
    }
    for (ParameterSpec p : c.state().spec().parameters()) {
      if (p.trainable()) {
        arrays.put("momentum/" + p.name(), array(c.state().momentum().get(p.name()), p.shape().dims(), f64));
      }
    }
    TrainingHistory h = c.history();
    int n = h.steps();
    arrays.put("history/loss", NpyArray.of(h.loss(), n));
    arrays.put("history/learning_rate", NpyArray.of(h.learningRate(), n));
    arrays.put("history/train_error", NpyArray.of(h.trainError(), n));
    arrays.put("history/step_seconds", NpyArray.of(h.stepSeconds(), n));
    long[] active = new long[n];
    for (int i = 0; i < n; i++) {
      active[i] = h.activeBlocks()[i];
    }
    arrays.put("history/active_blocks", NpyArray.of(active, n));
    double[] ev = new double[h.evaluations().size() * 4];
    for (int i = 0; i < h.evaluations().size(); i++) {
      TrainingHistory.Evaluation e = h.evaluations().get(i);
      ev[4 * i] = e.step();
      ev[4 * i + 1] = e.trainErrorPercent();
      ev[4 * i + 2] = e.errorPercent();
      ev[4 * i + 3] = e.loss();
    }
    arrays.put("history/evaluations", NpyArray.of(ev, h.evaluations().size(), 4));
    byte[] about;
    try {
      about = JSON.writeValueAsBytes(c.about());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return AtomicFiles.write(dir.resolve(fileName(c.about().step())), Npy.npzBytes(arrays,
        Map.of("checkpoint.json", about)));
  }

  /**
   * Reads a checkpoint; the spec is rebuilt from its name and must have the stored hash. A file that is not a
   * resbench checkpoint, of another format version, or damaged is refused with a message naming the defect.
   */
  public static Checkpoint read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("checkpoint " + file + " does not exist or is not a file; allowed: a"
          + " step-NNNNNNN.npz written by a training run");
    }
    byte[] json = Npy.npzFile(file, "checkpoint.json", 1 << 20).orElseThrow(() -> new IllegalArgumentException(
        file + " has no checkpoint.json, so it is not a resbench checkpoint; allowed: a step-NNNNNNN.npz written"
            + " by a training run"));
    Checkpoint.About about;
    try {
      about = JSON.readValue(json, Checkpoint.About.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": checkpoint.json is not readable (" + e.getMessage().split("\n")[0]
          + "); allowed: a checkpoint written by resbench");
    }
    if (!Checkpoint.FORMAT.equals(about.format()) || about.version() != Checkpoint.VERSION) {
      throw new IllegalArgumentException(file + ": format " + about.format() + " version " + about.version()
          + "; allowed: " + Checkpoint.FORMAT + " version " + Checkpoint.VERSION);
    }
    ModelSpec spec = SpecNames.build(about.spec());
    if (!spec.hash().equals(about.specHash())) {
      throw new IllegalArgumentException(file + ": spec '" + about.spec() + "' has hash " + spec.hash()
          + " in this build but " + about.specHash() + " in the checkpoint (the spec's definition changed);"
          + " allowed: a checkpoint written by a build with the same spec definitions");
    }
    Map<String, NpyArray> arrays = Npy.readNpz(file, MAX_ENTRY);
    Map<String, double[]> values = new LinkedHashMap<>();
    Map<String, double[]> momentum = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      values.put(p.name(), entry(file, arrays, "value/" + p.name(), p.shape().size()).toDoubles());
      if (p.trainable()) {
        momentum.put(p.name(), entry(file, arrays, "momentum/" + p.name(), p.shape().size()).toDoubles());
      }
    }
    TrainingState state = new TrainingState(spec, TrainingState.Precision.valueOf(about.precision()), values,
        momentum);
    int n = about.step();
    long[] active = entry(file, arrays, "history/active_blocks", n).toLongs();
    short[] act = new short[n];
    for (int i = 0; i < n; i++) {
      act[i] = (short) active[i];
    }
    NpyArray ev = arrays.get("history/evaluations");
    List<TrainingHistory.Evaluation> evals = new ArrayList<>();
    if (ev != null) {
      double[] e = ev.toDoubles();
      for (int i = 0; i + 3 < e.length; i += 4) {
        evals.add(new TrainingHistory.Evaluation((int) e[i], e[i + 1], e[i + 2], e[i + 3]));
      }
    }
    TrainingHistory history = new TrainingHistory(entry(file, arrays, "history/loss", n).toFloats(),
        entry(file, arrays, "history/learning_rate", n).toFloats(), entry(file, arrays, "history/train_error", n)
        .toFloats(), entry(file, arrays, "history/step_seconds", n).toFloats(), act, evals);
    return new Checkpoint(about, state, history);
  }

  /** The checkpoint of {@code dir} with the most steps, if any. */
  public static Optional<Path> latest(Path dir) {
    return all(dir).stream().reduce((a, b) -> b);
  }

  /** Every checkpoint file of {@code dir}, by step. */
  public static List<Path> all(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
          .sorted(Comparator.comparingInt(CheckpointFiles::stepOf)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Deletes every checkpoint of {@code dir} but the newest {@code keep}. */
  public static void prune(Path dir, int keep) {
    List<Path> all = all(dir);
    for (int i = 0; i < all.size() - keep; i++) {
      try {
        Files.deleteIfExists(all.get(i));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the old checkpoint " + all.get(i) + ": " + e.getMessage(), e);
      }
    }
  }

  private static int stepOf(Path p) {
    Matcher m = NAME.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }

  private static NpyArray array(double[] v, int[] shape, boolean f64) {
    return f64 ? NpyArray.of(v, shape) : NpyArray.of(TrainingState.narrow(v), shape);
  }

  private static NpyArray entry(Path file, Map<String, NpyArray> arrays, String name, int size) {
    NpyArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException(file + ": entry " + name + ".npy is missing; allowed: a complete"
          + " checkpoint");
    }
    if (a.size() != size) {
      throw new IllegalArgumentException(file + ": entry " + name + ".npy has " + a.size() + " values; allowed: "
          + size);
    }
    return a;
  }
}
