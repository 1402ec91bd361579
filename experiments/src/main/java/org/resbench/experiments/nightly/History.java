package org.resbench.experiments.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.results.JsonCodec;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

/**
 * The nightly history: a folder holding every night's record and the suite's runs ({@code runs/}, an ordinary
 * results store), the named and promoted baselines ({@code baselines.json}), this machine's calibration
 * ({@code calibration.json}) and the reports ({@code reports/}). A night never changes the baselines: only
 * {@code promote} and {@code pin} do, and a pin is not replaced without being asked to. Immutable; files are
 * written atomically.
 */
public final class History {
  /** The record type (and experiment name) of a night. */
  public static final String TYPE = "nightly";
  private final Path root;

  public History(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  /** {@code $RESBENCH_NIGHTLY}, else {@code ~/.resbench/nightly}. */
  public static Path defaultRoot() {
    String env = System.getenv("RESBENCH_NIGHTLY");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".resbench", "nightly");
  }

  public Path root() {
    return root;
  }

  /** The store of nights and their runs. */
  public ResultsStore store() {
    return new ResultsStore(root.resolve("runs"));
  }

  /** Where reports go. */
  public Path reports() {
    return root.resolve("reports");
  }

  /** Every night of {@code suite} (null: of any suite), oldest first. */
  public List<RunRecord> nights(String suite) {
    List<RunRecord> out = new ArrayList<>();
    for (RunRecord r : store().list()) {
      if (r.data() instanceof NightlyData d && (suite == null || d.suite().equals(suite))) {
        out.add(r);
      }
    }
    return out;
  }

  /** The night with this id or unique prefix. */
  public RunRecord night(String idOrPrefix) {
    RunRecord r = store().get(idOrPrefix);
    if (!(r.data() instanceof NightlyData)) {
      throw new IllegalArgumentException("run " + r.id() + " is a " + r.experiment() + " run, not a night; allowed:"
          + " the id of a nightly run (see 'resbench runs --results " + store().root() + "')");
    }
    return r;
  }

  /**
   * The promoted runs and the named baselines.
   *
   * @param promoted runs accepted as green although they regressed (an intended change), oldest first
   * @param pins baseline names and their runs
   */
  public record Baselines(List<String> promoted, Map<String, String> pins) {
    public Baselines {
      promoted = promoted == null ? List.of() : List.copyOf(promoted);
      pins = pins == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pins));
    }
  }

  public Baselines baselines() {
    Path f = root.resolve("baselines.json");
    if (!Files.isRegularFile(f)) {
      return new Baselines(List.of(), Map.of());
    }
    try {
      return JsonCodec.read(Files.readString(f, StandardCharsets.UTF_8), Baselines.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
    }
  }

  void save(Baselines b) {
    AtomicFiles.writeString(root.resolve("baselines.json"), JsonCodec.write(b) + "\n");
  }

  /** Whether a night counts as green: it passed (ran everything, nothing regressed) or was promoted. */
  public boolean green(RunRecord night, Baselines b) {
    return night.status() == RunStatus.PASSED || b.promoted().contains(night.id());
  }

  /** The newest green night of {@code suite}. */
  public Optional<RunRecord> latestGreen(String suite) {
    Baselines b = baselines();
    List<RunRecord> nights = nights(suite);
    for (int i = nights.size() - 1; i >= 0; i--) {
      if (green(nights.get(i), b)) {
        return Optional.of(nights.get(i));
      }
    }
    return Optional.empty();
  }

  /** Marks {@code run} green (for latest-green); returns the night. Promoting twice changes nothing. */
  public RunRecord promote(String run) {
    RunRecord r = night(run);
    Baselines b = baselines();
    if (!b.promoted().contains(r.id())) {
      List<String> p = new ArrayList<>(b.promoted());
      p.add(r.id());
      save(new Baselines(p, b.pins()));
    }
    return r;
  }

  /**
   * Names {@code run} as baseline {@code name}. An existing name is replaced only with {@code force}.
   *
   * @return the name's previous run, or null
   */
  public String pin(String name, RunRecord run, boolean force) {
    if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("baseline name '" + name + "'; allowed: letters, digits, '.', '_' and '-'");
    }
    Baselines b = baselines();
    String before = b.pins().get(name);
    if (before != null && !before.equals(run.id()) && !force) {
      throw new IllegalArgumentException("baseline '" + name + "' is already pinned to " + before + "; allowed: another"
          + " name, or --force to move it to " + run.id());
    }
    Map<String, String> pins = new LinkedHashMap<>(b.pins());
    pins.put(name, run.id());
    save(new Baselines(b.promoted(), pins));
    return before;
  }

  /** The calibration stored for this history, if any. */
  public Optional<CalibrationResult> calibration() {
    Path f = root.resolve("calibration.json");
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JsonCodec.read(Files.readString(f, StandardCharsets.UTF_8), CalibrationResult.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(f + ": " + e.getMessage() + "; allowed: a file written by 'resbench nightly"
          + " --calibrate' (delete it to calibrate again)", e);
    }
  }

  /** Stores a calibration (replacing the previous one: a calibration describes the machine as it is now). */
  public Path save(CalibrationResult c) {
    return AtomicFiles.writeString(root.resolve("calibration.json"), JsonCodec.write(c) + "\n");
  }
}
