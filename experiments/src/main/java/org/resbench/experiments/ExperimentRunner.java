package org.resbench.experiments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.spec.MemoryEstimate;
import org.resbench.results.BackendInfo;
import org.resbench.results.EnvironmentInfo;
import org.resbench.results.ExperimentData;
import org.resbench.results.JsonCodec;
import org.resbench.results.Provenance;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;
import org.resbench.results.SweepCell;

/**
 * Runs one experiment end to end: checks the results folder first, keeps the backends that can do what the
 * experiment needs (saying why others are skipped), runs, and writes one run record with its provenance. A run
 * may save its progress while it runs ({@link RunHandle}); an interrupted one is continued by {@link #resume}.
 * Stateless; one run per call.
 */
public final class ExperimentRunner {
  private ExperimentRunner() {}

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  /** The provenance key under which the data set actually used is described. */
  public static final String DATA_USED = "dataUsed";

  /**
   * What to run and where. Immutable.
   *
   * @param backends candidate backends; those lacking a required capability or unavailable are skipped
   * @param options session options
   * @param store where the record goes
   * @param progress progress trackers
   * @param images the image data supplier (the run's {@code --data})
   * @param sourceDir the source tree, for the git commit in provenance (may be null)
   * @param dataDir where experiments that choose their own data look first (may be null)
   */
  public record Request(List<Backend> backends, SessionOptions options, ResultsStore store, Progress.Factory progress,
      Supplier<ImageData> images, Path sourceDir, Path dataDir) {

    /** A request whose experiments look for their own data in the standard places only. */
    public Request(List<Backend> backends, SessionOptions options, ResultsStore store, Progress.Factory progress,
        Supplier<ImageData> images, Path sourceDir) {
      this(backends, options, store, progress, images, sourceDir, null);
    }
  }

  /**
   * A run's given identity instead of a generated one: a sweep names its cells' runs so that a resumed sweep finds
   * the finished ones, and records which sweep and cell each belongs to. Immutable.
   *
   * @param id the run id (the results store refuses an id that exists)
   * @param sweep the sweep cell, or null
   */
  public record Placement(String id, SweepCell sweep) {}

  /** Runs {@code experiment} with its resolved config; returns the written record. */
  public static <C> RunRecord run(Experiment<C> experiment, ConfigLoader.Resolved<C> config, Request request) {
    return run(experiment, config, request, null);
  }

  /** As {@link #run(Experiment, ConfigLoader.Resolved, Request)}, under a given id and sweep cell when not null. */
  public static <C> RunRecord run(Experiment<C> experiment, ConfigLoader.Resolved<C> config, Request request,
      Placement placement) {
    request.store().requireWritable();
    List<String> messages = new ArrayList<>();
    List<Backend> usable = usable(experiment, request.backends(), messages);
    Instant start = Instant.now();
    String id = placement != null ? placement.id() : ID_TIME.format(start) + "-" + experiment.name() + "-"
        + String.format("%04x", new SplittableRandom().nextInt(0x10000));
    return execute(experiment, config, request, usable, messages, id, start, null,
        placement == null ? null : placement.sweep());
  }

  /**
   * Continues the {@code UNFINISHED} run {@code previous} of {@code experiment} with the configuration it was
   * made with, on the backends it used, under its own id: finished parts are kept, unfinished ones continue from
   * their checkpoints. A run of another experiment, one that finished, or {@code config} that differs from the
   * stored one is bad input.
   *
   * @param config the configuration asked for now, or null to take the stored one
   */
  public static <C> RunRecord resume(Experiment<C> experiment, RunRecord previous, ConfigLoader.Resolved<C> config,
      Request request) {
    request.store().requireWritable();
    if (!previous.experiment().equals(experiment.name())) {
      throw new IllegalArgumentException("run " + previous.id() + " is a '" + previous.experiment() + "' run, not '"
          + experiment.name() + "'; allowed: resbench run " + previous.experiment() + " --resume " + previous.id());
    }
    if (previous.status() != RunStatus.UNFINISHED) {
      throw new IllegalArgumentException("run " + previous.id() + " ended " + previous.status()
          + ", so there is nothing to resume; allowed: an UNFINISHED run (see 'resbench runs')");
    }
    if (previous.data() == null && !Files.isDirectory(request.store().folder(previous.id()).resolve("checkpoints"))) {
      throw new IllegalArgumentException("run " + previous.id() + " was interrupted before its first checkpoint, so"
          + " there is nothing to resume from; allowed: start it again (resbench run " + experiment.name() + " ...)");
    }
    Map<String, Object> stored = new LinkedHashMap<>(previous.provenance().config());
    stored.remove(DATA_USED);
    ConfigLoader.Resolved<C> storedConfig = ConfigLoader.fromMap(experiment, stored, previous.profile());
    if (config != null && !JsonCodec.hash(config.asMap()).equals(JsonCodec.hash(storedConfig.asMap()))) {
      throw new IllegalArgumentException("run " + previous.id() + " was made from another configuration (it differs"
          + " in " + differences(storedConfig.asMap(), config.asMap()) + "); allowed: --resume without --set,"
          + " --config or --profile (the stored configuration is used), or the same values");
    }
    List<String> storedBackends = previous.provenance().backends().stream().map(BackendInfo::name).toList();
    List<Backend> chosen = request.backends().stream().filter(b -> storedBackends.contains(b.name())).toList();
    if (chosen.size() != storedBackends.size()) {
      throw new IllegalArgumentException("run " + previous.id() + " ran on " + storedBackends + " but the chosen"
          + " backends are " + request.backends().stream().map(Backend::name).toList() + "; allowed: --resume"
          + " without --backends, or the same backends");
    }
    List<String> messages = new ArrayList<>(previous.messages());
    List<Backend> usable = usable(experiment, chosen, messages);
    messages.add("resumed on " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " from its last save");
    return execute(experiment, storedConfig, request, usable, messages, previous.id(),
        Instant.parse(previous.provenance().start()), previous.data(), previous.provenance().sweep());
  }

  private static <C> RunRecord execute(Experiment<C> experiment, ConfigLoader.Resolved<C> config, Request request,
      List<Backend> usable, List<String> messages, String id, Instant start, ExperimentData previous,
      SweepCell sweep) {
    experiment.cannotRunOn(usable).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    // Every spec the run will build must fit, on every backend, before anything is built or loaded.
    for (MemoryEstimate.Work w : experiment.plannedWork(config.config())) {
      for (Backend b : usable) {
        MemoryEstimate.of(w.spec(), w.batch(), w.workload(), b.computesOnHeap(), b.name()).require();
      }
    }
    Map<String, ImageData> loaded = new LinkedHashMap<>();
    Supplier<ImageData> once = () -> loaded.computeIfAbsent("--data", k -> request.images().get());
    Function<List<String>, ImageData> datasets = names -> loaded.computeIfAbsent(String.join(",", names),
        k -> ImageSources.loadFirstPresent(names, request.dataDir(), notice -> messages.add(notice)));
    StoreRunHandle handle = new StoreRunHandle(experiment, config, request, usable, id, start, messages, loaded,
        previous, sweep);
    ExperimentResult result = experiment.run(config.config(),
        new ExperimentContext(usable, request.options(), request.progress(), once, datasets, handle));
    List<String> all = new ArrayList<>(messages);
    all.addAll(result.messages());
    RunRecord record = handle.record(result.status(), all, result.data());
    if (Files.isDirectory(request.store().folder(id))) {
      request.store().replace(record);
    } else {
      request.store().write(record);
    }
    return record;
  }

  /** The backends of {@code candidates} that can run {@code experiment}; the others are noted in messages. */
  private static List<Backend> usable(Experiment<?> experiment, List<Backend> candidates, List<String> messages) {
    List<Backend> usable = new ArrayList<>();
    for (Backend b : candidates) {
      Capabilities caps = b.probe();
      if (!caps.available()) {
        messages.add("skipped backend " + b.name() + ": unavailable: " + caps.unavailableReason());
        continue;
      }
      List<Capability> missing = experiment.requiredCapabilities().stream().filter(c -> !caps.can(c)).toList();
      if (!missing.isEmpty()) {
        messages.add("skipped backend " + b.name() + ": " + experiment.name() + " needs " + names(missing)
            + ", which it cannot do");
        continue;
      }
      usable.add(b);
    }
    if (usable.isEmpty()) {
      throw new IllegalArgumentException("no chosen backend can run " + experiment.name() + " (" + String.join("; ",
          messages) + "); allowed: backends with " + names(List.copyOf(experiment.requiredCapabilities()))
          + ", see 'resbench backends'");
    }
    return usable;
  }

  /** The run's record as it is written, by saves while it runs and at its end. */
  private static final class StoreRunHandle implements RunHandle {
    private final Experiment<?> experiment;
    private final ConfigLoader.Resolved<?> config;
    private final Request request;
    private final List<Backend> usable;
    private final String id;
    private final Instant start;
    private final List<String> messages;
    private final Map<String, ImageData> loaded;
    private final ExperimentData previous;
    private final SweepCell sweep;

    StoreRunHandle(Experiment<?> experiment, ConfigLoader.Resolved<?> config, Request request, List<Backend> usable,
        String id, Instant start, List<String> messages, Map<String, ImageData> loaded, ExperimentData previous,
        SweepCell sweep) {
      this.experiment = experiment;
      this.config = config;
      this.request = request;
      this.usable = usable;
      this.id = id;
      this.start = start;
      this.messages = messages;
      this.loaded = loaded;
      this.previous = previous;
      this.sweep = sweep;
    }

    @Override
    public String id() {
      return id;
    }

    @Override
    public Path folder() {
      Path folder = request.store().folder(id);
      if (!Files.isDirectory(folder)) {
        request.store().write(record(RunStatus.UNFINISHED, messages, previous));
      }
      return folder;
    }

    @Override
    public void save(ExperimentData partial, List<String> notes) {
      List<String> all = new ArrayList<>(messages);
      all.addAll(notes);
      request.store().replace(record(RunStatus.UNFINISHED, all, partial));
    }

    @Override
    public Optional<ExperimentData> previous() {
      return Optional.ofNullable(previous);
    }

    RunRecord record(RunStatus status, List<String> notes, ExperimentData data) {
      Map<String, Long> seeds = new LinkedHashMap<>();
      Object seed = config.asMap().get("seed");
      if (seed instanceof Number n) {
        seeds.put("seed", n.longValue());
      }
      if (config.asMap().get("seeds") instanceof List<?> list) {
        for (int i = 0; i < list.size(); i++) {
          if (list.get(i) instanceof Number n) {
            seeds.put("seeds[" + i + "]", n.longValue());
          }
        }
      }
      Map<String, Object> cfg = new LinkedHashMap<>(config.asMap());
      if (!loaded.isEmpty()) {
        cfg.put(DATA_USED, String.join("; ", loaded.values().stream().map(ImageData::description).toList()));
      }
      Provenance provenance = new Provenance(cfg, JsonCodec.hash(config.asMap()), usable.stream()
          .map(ExperimentRunner::info).toList(), request.options().threads(), seeds, EnvironmentInfo.capture(),
          version(), EnvironmentInfo.gitCommit(request.sourceDir()), start.truncatedTo(ChronoUnit.MILLIS).toString(),
          Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
      if (sweep != null) {
        provenance = provenance.inSweep(sweep);
      }
      return new RunRecord(RunRecord.SCHEMA, id, experiment.name(), config.profile(), status, notes, provenance, data);
    }
  }

  private static String differences(Map<String, Object> a, Map<String, Object> b) {
    List<String> keys = new ArrayList<>();
    for (String k : a.keySet()) {
      if (!JsonCodec.hash(String.valueOf(a.get(k))).equals(JsonCodec.hash(String.valueOf(b.get(k))))) {
        keys.add(k + " (" + a.get(k) + " then, " + b.get(k) + " now)");
      }
    }
    return keys.isEmpty() ? "its profile" : String.join(", ", keys);
  }

  static BackendInfo info(Backend b) {
    Capabilities c = b.probe();
    return new BackendInfo(b.name(), c.engine(), c.engineVersion(), c.device().name().toLowerCase(Locale.ROOT));
  }

  private static String names(List<Capability> cs) {
    return String.join(", ", cs.stream().map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-')).toList());
  }

  /** The project version from the jar manifest, or "dev". */
  public static String version() {
    String v = ExperimentRunner.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }

  /** Whether a status should make the CLI exit non-zero. */
  public static boolean failed(RunStatus s) {
    return s != RunStatus.PASSED;
  }
}
