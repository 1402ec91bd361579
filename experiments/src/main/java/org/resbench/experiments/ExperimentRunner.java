package org.resbench.experiments;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.results.BackendInfo;
import org.resbench.results.EnvironmentInfo;
import org.resbench.results.JsonCodec;
import org.resbench.results.Provenance;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import org.resbench.results.RunStatus;

/**
 * Runs one experiment end to end: checks the results folder first, keeps the backends that can do what the
 * experiment needs (saying why others are skipped), runs, and writes one run record with its provenance.
 * Stateless; one run per call.
 */
public final class ExperimentRunner {
  private ExperimentRunner() {}

  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  /**
   * What to run and where. Immutable.
   *
   * @param backends candidate backends; those lacking a required capability or unavailable are skipped
   * @param options session options
   * @param store where the record goes
   * @param progress progress trackers
   * @param images the image data supplier
   * @param sourceDir the source tree, for the git commit in provenance (may be null)
   */
  public record Request(List<Backend> backends, SessionOptions options, ResultsStore store, Progress.Factory progress,
      java.util.function.Supplier<ImageData> images, Path sourceDir) {}

  /**
   * A run's given identity instead of a generated one: a sweep names its cells' runs so that a resumed sweep finds
   * the finished ones, and records which sweep and cell each belongs to. Immutable.
   *
   * @param id the run id (the results store refuses an id that exists)
   * @param sweep the sweep cell, or null
   */
  public record Placement(String id, org.resbench.results.SweepCell sweep) {}

  /** Runs {@code experiment} with its resolved config; returns the written record. */
  public static <C> RunRecord run(Experiment<C> experiment, ConfigLoader.Resolved<C> config, Request request) {
    return run(experiment, config, request, null);
  }

  /** As {@link #run(Experiment, ConfigLoader.Resolved, Request)}, under a given id and sweep cell when not null. */
  public static <C> RunRecord run(Experiment<C> experiment, ConfigLoader.Resolved<C> config, Request request,
      Placement placement) {
    request.store().requireWritable();
    List<Backend> usable = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (Backend b : request.backends()) {
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
    experiment.cannotRunOn(usable).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    ImageData[] loaded = new ImageData[1];
    java.util.function.Supplier<ImageData> once = () -> {
      if (loaded[0] == null) {
        loaded[0] = request.images().get();
      }
      return loaded[0];
    };
    Instant start = Instant.now();
    ExperimentResult result = experiment.run(config.config(),
        new ExperimentContext(usable, request.options(), request.progress(), once));
    Instant end = Instant.now();
    messages.addAll(result.messages());
    Map<String, Long> seeds = new LinkedHashMap<>();
    Object seed = config.asMap().get("seed");
    if (seed instanceof Number n) {
      seeds.put("seed", n.longValue());
    }
    Map<String, Object> cfg = new LinkedHashMap<>(config.asMap());
    if (loaded[0] != null) {
      cfg.put("data", loaded[0].description());
    }
    Provenance provenance = new Provenance(cfg, JsonCodec.hash(cfg), usable.stream().map(ExperimentRunner::info)
        .toList(), request.options().threads(), seeds, EnvironmentInfo.capture(), version(),
        EnvironmentInfo.gitCommit(request.sourceDir()), start.truncatedTo(ChronoUnit.MILLIS).toString(),
        end.truncatedTo(ChronoUnit.MILLIS).toString());
    if (placement != null && placement.sweep() != null) {
      provenance = provenance.inSweep(placement.sweep());
    }
    String id = placement != null ? placement.id() : ID_TIME.format(start) + "-" + experiment.name() + "-"
        + String.format("%04x", new SplittableRandom().nextInt(0x10000));
    RunRecord record = new RunRecord(RunRecord.SCHEMA, id, experiment.name(), config.profile(), result.status(),
        messages, provenance, result.data());
    request.store().write(record);
    return record;
  }

  static BackendInfo info(Backend b) {
    Capabilities c = b.probe();
    return new BackendInfo(b.name(), c.engine(), c.engineVersion(), c.device().name().toLowerCase(java.util.Locale.ROOT));
  }

  private static String names(List<Capability> cs) {
    return String.join(", ", cs.stream().map(c -> c.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')).toList());
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
