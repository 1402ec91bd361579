package org.resbench.experiments.example;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentContext;
import org.resbench.experiments.ExperimentResult;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.results.RunStatus;
import org.resbench.results.stats.Samples;

/** The worked example: the logits' spread at initialisation on every backend. Stateless. */
public final class LogitScaleExperiment implements Experiment<LogitScaleConfig> {
  @Override
  public String name() {
    return "logit-scale";
  }

  @Override
  public String description() {
    return "the standard deviation of the logits at initialisation (a worked example of a plug-in)";
  }

  @Override
  public Class<LogitScaleConfig> configType() {
    return LogitScaleConfig.class;
  }

  @Override
  public Set<Capability> requiredCapabilities() {
    return EnumSet.of(Capability.INFERENCE);
  }

  @Override
  public ExperimentResult run(LogitScaleConfig config, ExperimentContext context) {
    List<LogitScaleData.Row> rows = new ArrayList<>();
    for (String name : config.specs()) {
      ModelSpec spec = SpecNames.build(name);
      int[] shape = spec.inputShape().dims();
      float[] x = new float[config.batch() * spec.inputShape().size()];
      SplittableRandom rng = Rngs.stream(config.seed(), "logit-scale/input");
      for (int i = 0; i < x.length; i++) {
        x[i] = (float) Rngs.gaussian(rng);
      }
      int[] inputShape = new int[shape.length + 1];
      inputShape[0] = config.batch();
      System.arraycopy(shape, 0, inputShape, 1, shape.length);
      for (Backend backend : context.backends()) {
        try (Session s = backend.open(spec, Initializer.initialize(spec, config.seed()), context.options())) {
          float[] logits = s.forward(HostTensor.of(x, inputShape), BnMode.INFERENCE, BlockGates.ones(spec)).data();
          double[] asDouble = new double[logits.length];
          for (int i = 0; i < logits.length; i++) {
            asDouble[i] = logits[i];
          }
          rows.add(new LogitScaleData.Row(spec.name(), backend.name(), logits,
              new Samples(asDouble).standardDeviation()));
        }
      }
    }
    return new ExperimentResult(RunStatus.PASSED, new LogitScaleData(rows), List.of());
  }
}
