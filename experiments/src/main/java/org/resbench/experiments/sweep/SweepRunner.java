package org.resbench.experiments.sweep;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.resbench.experiments.ConfigLoader;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentRunner;
import org.resbench.experiments.ImageData;
import org.resbench.experiments.ImageSources;
import org.resbench.experiments.Progress;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.SweepCell;

/**
 * Runs one shard of a sweep into a results store, one ordinary run record per cell under the id
 * {@code SWEEP-CELLID}, each written atomically as it finishes (the store writes a hidden folder and renames it),
 * so a crash or a kill loses at most the cell in progress. With resume, cells already recorded are skipped
 * (after checking that the record belongs to this sweep's plan), and a cell recorded {@code UNFINISHED} (a training
 * cell saves while it runs) is continued from its checkpoints under its own id; without resume, any recorded cell
 * is an error before work starts. Stateless; one shard per call.
 */
public final class SweepRunner {
  private SweepRunner() {}

  /**
   * How to run cells. Immutable.
   *
   * @param progress progress trackers of each cell's experiment
   * @param dataDir where to look for data sets first, or null
   * @param sourceDir the source tree, for provenance (may be null)
   */
  public record Settings(Progress.Factory progress, Path dataDir, Path sourceDir) {}

  /**
   * What a shard did.
   *
   * @param cells the shard's cells
   * @param ran cells run now
   * @param skipped cells found recorded (resume)
   * @param notPassed recorded or run cells whose status is not PASSED, by run id
   */
  public record Summary(int cells, int ran, int skipped, List<String> notPassed) {
    public Summary {
      notPassed = List.copyOf(notPassed);
    }
  }

  /** Runs {@code shard} of {@code plan} into {@code store}, logging a line per cell to {@code log}. */
  public static Summary run(SweepPlan plan, Shard shard, boolean resume, ResultsStore store, Settings settings,
      PrintWriter log) {
    store.requireWritable();
    SweepDefinition d = plan.definition();
    Experiment<?> experiment = ExperimentCatalog.get(d.experiment());
    List<SweepPlan.Cell> cells = plan.shard(shard);
    Backends discovered = Backends.discover();
    Map<String, List<Backend>> backendsOf = new LinkedHashMap<>();
    for (SweepPlan.Cell c : cells) {
      List<Backend> bs = new ArrayList<>();
      for (String n : c.backends()) {
        Backend b = discovered.get(n);
        if (!b.probe().available()) {
          throw new BackendException(b.name(), "cell " + c.id() + " of sweep " + d.name() + " needs it, but it is"
              + " unavailable on this machine: " + b.probe().unavailableReason());
        }
        bs.add(b);
      }
      backendsOf.put(c.id(), bs);
    }
    List<String> notPassed = new ArrayList<>();
    List<SweepPlan.Cell> todo = new ArrayList<>();
    Map<String, RunRecord> unfinished = new LinkedHashMap<>();
    List<String> recorded = new ArrayList<>();
    for (SweepPlan.Cell c : cells) {
      String id = plan.runId(c);
      if (!Files.exists(store.root().resolve(id))) {
        todo.add(c);
        continue;
      }
      recorded.add(id);
      if (resume) {
        RunRecord r = store.get(id);
        SweepCell sc = r.provenance().sweep();
        if (sc == null || !sc.cell().equals(c.id()) || !sc.sweepHash().equals(plan.hash())) {
          throw new IllegalArgumentException("run " + id + " in " + store.root() + " is not cell " + c.id()
              + " of this sweep's plan (hash " + plan.hash() + ", recorded: " + (sc == null ? "no sweep" : "hash "
              + sc.sweepHash()) + "); allowed: another --results folder for a changed sweep file");
        }
        if (r.status() == RunStatus.UNFINISHED) {
          // Saved while it ran (a training cell's checkpoints), then interrupted: continue it, not from scratch.
          unfinished.put(c.id(), r);
          todo.add(c);
        } else if (r.status() != RunStatus.PASSED) {
          notPassed.add(id);
        }
      }
    }
    if (!resume && !recorded.isEmpty()) {
      throw new IllegalArgumentException(recorded.size() + " of this shard's " + cells.size() + " cells are already"
          + " recorded in " + store.root() + " (e.g. " + recorded.get(0) + "); allowed: --resume to run only the"
          + " unfinished cells, or another --results folder");
    }
    log.printf(Locale.ROOT, "sweep %s (%s): shard %s has %d of %d cells; %d recorded, %d to run%s%n", d.name(),
        plan.hash(), shard, cells.size(), plan.cells().size(), recorded.size() - unfinished.size(), todo.size(),
        unfinished.isEmpty() ? "" : " (" + unfinished.size() + " of them unfinished, continued from their saves)");
    ImageData[] images = new ImageData[1];
    int done = 0;
    for (SweepPlan.Cell c : todo) {
      long t0 = System.nanoTime();
      RunRecord r = runCell(plan, shard, c, experiment, backendsOf.get(c.id()), store, settings, images, log,
          unfinished.get(c.id()));
      done++;
      log.printf(Locale.ROOT, "  [%d/%d] cell %s (#%d %s): %s in %.1f s -> %s%n", done, todo.size(), c.id(),
          c.index(), c.describe(), r.status(), (System.nanoTime() - t0) / 1e9, r.id());
      if (r.status() != RunStatus.PASSED) {
        notPassed.add(r.id());
      }
    }
    return new Summary(cells.size(), todo.size(), recorded.size() - unfinished.size(), notPassed);
  }

  /** The environment variables by which Slurm and Kubernetes say where a job runs. */
  static final List<String> SCHEDULER_VARIABLES = List.of("SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID",
      "SLURMD_NODENAME", "SLURM_CLUSTER_NAME", "JOB_COMPLETION_INDEX");

  static Map<String, String> schedulerVariables() {
    Map<String, String> m = new LinkedHashMap<>();
    for (String v : SCHEDULER_VARIABLES) {
      String value = System.getenv(v);
      if (value != null && !value.isBlank()) {
        m.put(v, value);
      }
    }
    return m;
  }

  private static <C> RunRecord runCell(SweepPlan plan, Shard shard, SweepPlan.Cell cell, Experiment<C> experiment,
      List<Backend> backends, ResultsStore store, Settings settings, ImageData[] images, PrintWriter log,
      RunRecord unfinished) {
    SweepDefinition d = plan.definition();
    ConfigLoader.Resolved<C> resolved = ConfigLoader.resolve(experiment, d.profile(), null, cell.sets());
    ExperimentRunner.Request request = new ExperimentRunner.Request(backends,
        SessionOptions.builder().optThreads(d.threads()).build(), store, settings.progress(), () -> {
          if (images[0] == null) {
            images[0] = ImageSources.load(d.data(), settings.dataDir(), notice -> log.println(notice));
          }
          return images[0];
        }, settings.sourceDir(), settings.dataDir());
    if (unfinished != null) {
      return ExperimentRunner.resume(experiment, unfinished, resolved, request);
    }
    SweepCell sc = new SweepCell(d.name(), plan.hash(), cell.id(), cell.index(), plan.cells().size(),
        shard.toString(), cell.point(), schedulerVariables());
    return ExperimentRunner.run(experiment, resolved, request, new ExperimentRunner.Placement(plan.runId(cell), sc));
  }
}
