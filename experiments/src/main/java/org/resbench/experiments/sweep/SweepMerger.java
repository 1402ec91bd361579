package org.resbench.experiments.sweep;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.resbench.results.BackendInfo;
import org.resbench.results.EnvironmentInfo;
import org.resbench.results.Provenance;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.SweepCell;

/**
 * Joins the results folders of a sweep's shards into one run set: every cell's record, copied unchanged, plus a
 * summary record ({@link SweepData}). Refuses, with a message naming the folders, shards of different plans
 * (a changed sweep file or changed profiles), of different resbench versions or commits, a cell recorded twice,
 * and, unless partial merges are allowed, missing cells. Stateless.
 */
public final class SweepMerger {
  private SweepMerger() {}

  /** The summary record's type name. */
  public static final String TYPE = "sweep";

  /**
   * What a merge wrote.
   *
   * @param summary the summary record
   * @param cells the cell records, in plan order
   * @param ignored records in the shard folders that are not cells of a sweep, by id
   */
  public record Result(RunRecord summary, List<RunRecord> cells, List<String> ignored) {}

  /** Merges {@code shardDirs} into the new or empty folder {@code out}. */
  public static Result merge(List<Path> shardDirs, Path out, boolean allowPartial) {
    if (shardDirs.isEmpty()) {
      throw new IllegalArgumentException("no shard folders; allowed: one or more results folders of a sweep's shards");
    }
    Map<String, RunRecord> byCell = new LinkedHashMap<>();
    Map<String, Path> whereCell = new LinkedHashMap<>();
    Map<String, Path> firstOfPlan = new LinkedHashMap<>();
    Map<String, Path> firstOfBuild = new LinkedHashMap<>();
    List<String> ignored = new ArrayList<>();
    for (Path dir : shardDirs) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException("shard folder " + dir + " does not exist; allowed: results folders of a"
            + " sweep's shards");
      }
      for (RunRecord r : new ResultsStore(dir).list()) {
        SweepCell c = r.provenance().sweep();
        if (c == null) {
          ignored.add(r.id());
          continue;
        }
        firstOfPlan.putIfAbsent(c.sweep() + " (plan " + c.sweepHash() + ")", dir);
        firstOfBuild.putIfAbsent("resbench " + r.provenance().resbenchVersion() + " at commit "
            + r.provenance().gitCommit(), dir);
        RunRecord twin = byCell.putIfAbsent(c.cell(), r);
        if (twin != null) {
          throw new IllegalArgumentException("cell " + c.cell() + " (#" + c.index() + ") is recorded in both "
              + whereCell.get(c.cell()) + " and " + dir + "; allowed: each cell in one shard folder (were the shards"
              + " cut with different N, or one folder given twice?)");
        }
        whereCell.put(c.cell(), dir);
      }
    }
    if (byCell.isEmpty()) {
      throw new IllegalArgumentException("no sweep cells in " + shardDirs + "; allowed: folders written by 'resbench"
          + " sweep run'");
    }
    if (firstOfPlan.size() > 1) {
      throw new IllegalArgumentException("mixed configs: the shards come from different sweep plans: "
          + describe(firstOfPlan) + " (the sweep file, or the build's profiles, changed between shards); allowed:"
          + " shards of one plan: re-run the odd ones from the same file");
    }
    if (firstOfBuild.size() > 1) {
      throw new IllegalArgumentException("mixed versions: the shards were run by different builds: "
          + describe(firstOfBuild) + "; allowed: shards from one build: re-run the odd ones with the same resbench");
    }
    List<RunRecord> cells = byCell.values().stream()
        .sorted(Comparator.comparingInt(r -> r.provenance().sweep().index())).toList();
    SweepCell first = cells.get(0).provenance().sweep();
    Set<Integer> present = cells.stream().map(r -> r.provenance().sweep().index()).collect(Collectors.toSet());
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < first.cells(); i++) {
      if (!present.contains(i)) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty() && !allowPartial) {
      throw new IllegalArgumentException("incomplete sweep " + first.sweep() + ": " + missing.size() + " of "
          + first.cells() + " cells are not recorded in these folders (plan positions " + abbreviate(missing)
          + "); allowed: every shard's folder, or --partial to merge what is there");
    }
    ResultsStore target = new ResultsStore(out);
    if (Files.isDirectory(out)) {
      try (var entries = Files.list(out)) {
        List<Path> present2 = entries.filter(p -> !p.getFileName().toString().startsWith(".")).toList();
        if (!present2.isEmpty()) {
          throw new IllegalArgumentException("--out " + out + " is not empty (" + present2.size() + " entries);"
              + " allowed: a new or empty folder");
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot list " + out + ": " + e.getMessage(), e);
      }
    }
    target.requireWritable();
    for (RunRecord r : cells) {
      target.write(r);
    }
    RunRecord summary = summary(cells, shardDirs, missing);
    target.write(summary);
    return new Result(summary, cells, ignored);
  }

  private static RunRecord summary(List<RunRecord> cells, List<Path> dirs, List<Integer> missing) {
    RunRecord firstRun = cells.get(0);
    SweepCell first = firstRun.provenance().sweep();
    List<SweepData.Entry> entries = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    Map<String, BackendInfo> backends = new LinkedHashMap<>();
    String start = null;
    String end = null;
    List<String> notPassed = new ArrayList<>();
    for (RunRecord r : cells) {
      SweepCell c = r.provenance().sweep();
      keys.addAll(c.point().keySet());
      r.provenance().backends().forEach(b -> backends.putIfAbsent(b.name(), b));
      start = start == null || r.provenance().start().compareTo(start) < 0 ? r.provenance().start() : start;
      end = end == null || r.provenance().end().compareTo(end) > 0 ? r.provenance().end() : end;
      entries.add(new SweepData.Entry(c.index(), c.cell(), r.id(), c.point(), r.status().name(), c.shard(),
          where(r), seconds(r.provenance())));
      if (r.status() != RunStatus.PASSED) {
        notPassed.add(r.id() + " " + r.status());
      }
    }
    List<String> messages = new ArrayList<>();
    messages.add("merged " + cells.size() + " of " + first.cells() + " cells from " + dirs.size() + " shard folder"
        + (dirs.size() == 1 ? "" : "s"));
    if (!missing.isEmpty()) {
      messages.add("partial merge: cells at plan positions " + abbreviate(missing) + " are missing");
    }
    if (!notPassed.isEmpty()) {
      messages.add("cells that did not pass: " + String.join(", ", notPassed));
    }
    RunStatus status = !missing.isEmpty() || cells.stream().anyMatch(r -> r.status() == RunStatus.INCOMPLETE
        || r.status() == RunStatus.UNFINISHED) ? RunStatus.INCOMPLETE
        : notPassed.isEmpty() ? RunStatus.PASSED : RunStatus.FAILED;
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("sweep", first.sweep());
    config.put("experiment", firstRun.experiment());
    config.put("cells", first.cells());
    config.put("gridKeys", List.copyOf(keys));
    Provenance p = new Provenance(config, first.sweepHash(), List.copyOf(backends.values()),
        firstRun.provenance().threads(), Map.of(), EnvironmentInfo.capture(), firstRun.provenance().resbenchVersion(),
        firstRun.provenance().gitCommit(), start, end);
    SweepData data = new SweepData(first.sweep(), first.sweepHash(), firstRun.experiment(), first.cells(),
        List.copyOf(keys), dirs.stream().map(Path::toString).toList(), entries, missing);
    // "--" sorts before the cells' "-<hex>" ids, so with the earliest start the summary leads the run set.
    return new RunRecord(RunRecord.SCHEMA, first.sweep() + "--sweep", TYPE, firstRun.profile(), status, messages,
        p, data);
  }

  private static String where(RunRecord r) {
    Map<String, String> s = r.provenance().sweep().scheduler();
    String host = s.getOrDefault("SLURMD_NODENAME", r.provenance().environment().getOrDefault("host", "unknown"));
    if (s.containsKey("SLURM_ARRAY_JOB_ID")) {
      return host + ", Slurm job " + s.get("SLURM_ARRAY_JOB_ID") + "_" + s.getOrDefault("SLURM_ARRAY_TASK_ID", "?");
    }
    if (s.containsKey("SLURM_JOB_ID")) {
      return host + ", Slurm job " + s.get("SLURM_JOB_ID");
    }
    if (s.containsKey("JOB_COMPLETION_INDEX")) {
      return host + ", job index " + s.get("JOB_COMPLETION_INDEX");
    }
    return host;
  }

  private static double seconds(Provenance p) {
    try {
      return Duration.between(Instant.parse(p.start()), Instant.parse(p.end())).toMillis() / 1e3;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  private static String describe(Map<String, Path> firsts) {
    return new TreeMap<>(firsts).entrySet().stream().map(e -> e.getKey() + " in " + e.getValue())
        .collect(Collectors.joining("; "));
  }

  private static String abbreviate(List<Integer> xs) {
    return xs.size() <= 12 ? xs.toString() : xs.subList(0, 12) + " and " + (xs.size() - 12) + " more";
  }
}
