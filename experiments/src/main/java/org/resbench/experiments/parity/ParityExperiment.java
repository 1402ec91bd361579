package org.resbench.experiments.parity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.experiments.Progress;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.conformance.Comparison;
import org.resbench.harness.conformance.ConformanceRunner;
import org.resbench.harness.conformance.Quantity;
import org.resbench.harness.conformance.Scenario;
import org.resbench.harness.conformance.ScenarioResult;
import org.resbench.harness.conformance.TensorComparison;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.results.RunStatus;

/**
 * The same specs, weights, batches and gates on every backend, compared with the float64 reference through the
 * conformance suite's {@link ConformanceRunner}, so the experiment and the tests hold backends to one set of
 * tolerances. Stateless.
 */
public final class ParityExperiment implements Experiment<ParityConfig> {
  /** The oracle's backend name. */
  static final String REFERENCE = "reference";
  private static final Pattern STEP = Pattern.compile("loss at step (\\d+).*");

  @Override
  public String name() {
    return "parity";
  }

  @Override
  public String description() {
    return "every backend against the float64 reference: logits in both BN modes, input and parameter gradients,"
        + " path masks, gates, and k-step training trajectories, with worst errors against stated tolerances";
  }

  @Override
  public java.util.Optional<String> cannotRunOn(List<Backend> backends) {
    return backends.stream().allMatch(b -> b.name().equals(REFERENCE))
        ? java.util.Optional.of("parity compares backends with the reference, but only the reference was chosen or"
            + " is available; allowed: --backends with at least one other backend (see 'resbench backends')")
        : java.util.Optional.empty();
  }

  @Override
  public Class<ParityConfig> configType() {
    return ParityConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.INFERENCE);
  }

  @Override
  public ExperimentResult run(ParityConfig cfg, ExperimentContext ctx) {
    List<ParityData.Check> checks = new ArrayList<>();
    List<ParityData.Trajectory> trajectories = new ArrayList<>();
    List<ParityData.Skip> skipped = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    cannotRunOn(ctx.backends()).ifPresent(why -> {
      throw new IllegalArgumentException(why);
    });
    List<Backend> compared = ctx.backends().stream().filter(b -> !b.name().equals(REFERENCE)).toList();
    ConformanceRunner.Settings defaults = ConformanceRunner.Settings.DEFAULT;
    boolean incomplete = false;
    try (Progress progress = ctx.progress().start("parity",
        (long) cfg.seeds().size() * cfg.specs().size() * compared.size() * cfg.scenarios().size())) {
      for (long seed : cfg.seeds()) {
       ConformanceRunner.Settings settings = new ConformanceRunner.Settings(cfg.batchSize(), cfg.steps(),
           cfg.learningRate(), defaults.sgd(), seed, defaults.maxInputAttempts());
       boolean firstSeed = seed == cfg.seeds().get(0);
       for (String name : cfg.specs()) {
        ModelSpec spec = SpecNames.build(name);
        boolean referenceTrajectory = false;
        for (Backend backend : compared) {
          ConformanceRunner runner = new ConformanceRunner(backend,
              sgd -> SessionOptions.builder().optThreads(ctx.options().threads()).optSgd(sgd).build(), settings);
          for (Scenario scenario : cfg.scenarios()) {
            progress.step(backend.name() + " " + spec.name() + " " + scenario.name().toLowerCase());
            ScenarioResult r;
            try {
              r = runner.run(scenario, spec);
            } catch (BackendException | IllegalArgumentException e) {
              incomplete = true;
              messages.add(backend.name() + " failed on " + spec.name() + " / " + scenario.description() + ": "
                  + e.getMessage());
              continue;
            }
            if (r.skipped()) {
              skipped.add(new ParityData.Skip(spec.name(), backend.name(), scenario.description(), r.skipReason()));
              continue;
            }
            if (!r.marginSafe()) {
              messages.add(String.format(java.util.Locale.ROOT, "%s / %s / %s: no seeded input kept every ReLU input"
                  + " %.1e x RMS from 0 (best %.2e); a failure there may be a kink crossing, not a bug",
                  spec.name(), backend.name(), scenario.description(),
                  org.resbench.harness.conformance.Tolerances.RELU_MARGIN, r.reluMargin()));
            }
            for (Comparison c : r.comparisons()) {
              checks.add(check(spec.name(), backend.name(), scenario, c, seed));
            }
            if (scenario == Scenario.TRAIN_K_STEPS && firstSeed) {
              if (!referenceTrajectory) {
                trajectories.add(new ParityData.Trajectory(spec.name(), REFERENCE, losses(r, true)));
                referenceTrajectory = true;
              }
              trajectories.add(new ParityData.Trajectory(spec.name(), backend.name(), losses(r, false)));
            }
          }
        }
       }
      }
    }
    ParityData data = new ParityData(cfg.specs().stream().map(s -> SpecNames.build(s).name()).toList(), REFERENCE,
        compared.stream().map(Backend::name).toList(), cfg.steps(), checks, trajectories, skipped);
    for (ParityData.Check c : checks) {
      if (!c.passed()) {
        messages.add(String.format(java.util.Locale.ROOT, "FAIL %s / %s / %s: %s off by %.3g x its bound at %s %s"
            + " (seed %d)", c.spec(), c.backend(), c.scenario(), c.quantity(), c.worstRatio(), c.worstTensor(),
            c.worstPosition(), c.seed()));
      }
    }
    RunStatus status = incomplete ? RunStatus.INCOMPLETE : data.allPassed() ? RunStatus.PASSED : RunStatus.FAILED;
    return new ExperimentResult(status, data, messages);
  }

  static ParityData.Check check(String spec, String backend, Scenario scenario, Comparison c, long seed) {
    TensorComparison w = c.worst();
    return new ParityData.Check(spec, backend, scenario.description(), c.quantity().label(), w.tensor(),
        w.worstIndex() < 0 ? "" : w.position(w.worstIndex()), c.maxAbsError(), c.maxRelError(), w.worstRatio(),
        w.tolerance().toString(), c.passed(), seed);
  }

  /** The per-step losses of a k-step scenario: the reference's (expected) or the backend's (actual). */
  static double[] losses(ScenarioResult r, boolean reference) {
    List<TensorComparison> steps = new ArrayList<>();
    for (Comparison c : r.comparisons()) {
      if (c.quantity() == Quantity.LOSS) {
        for (TensorComparison t : c.tensors()) {
          if (STEP.matcher(t.tensor()).matches()) {
            steps.add(t);
          }
        }
      }
    }
    steps.sort(Comparator.comparingInt(t -> step(t.tensor())));
    return steps.stream().mapToDouble(t -> reference ? t.worstExpected() : t.worstActual()).toArray();
  }

  private static int step(String tensor) {
    Matcher m = STEP.matcher(tensor);
    return m.matches() ? Integer.parseInt(m.group(1)) : -1;
  }
}
