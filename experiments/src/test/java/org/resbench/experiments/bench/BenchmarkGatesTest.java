package org.resbench.experiments.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.Session;
import org.resbench.harness.reference.ReferenceBackend;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.train.Trainer;

/** What gates the benchmark's training steps and inference calls use: those of training and of test time. */
class BenchmarkGatesTest {
  /** The gates of every trainStep and forward call, in order, through a recording wrapper of the reference backend. */
  private static final class Recorder {
    final List<float[]> trainGates = new ArrayList<>();
    final List<float[]> forwardGates = new ArrayList<>();

    Backend wrap(Backend inner) {
      return (Backend) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Backend.class},
          (proxy, m, args) -> {
            Object r = invoke(inner, m, args);
            return m.getName().equals("open") ? session((Session) r) : r;
          });
    }

    private Session session(Session inner) {
      return (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
          (proxy, m, args) -> {
            if (m.getName().equals("trainStep")) {
              trainGates.add(((BlockGates) args[2]).values());
            } else if (m.getName().equals("forward")) {
              forwardGates.add(((BlockGates) args[2]).values());
            }
            return invoke(inner, m, args);
          });
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
      try {
        return m.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }

  private static BenchConfig config(ModelSpec spec) {
    return new BenchConfig(spec, List.of(2), Phase.calls(2), Phase.calls(3), 2, 1, true, false, 7);
  }

  @Test
  void stochasticDepthTrainingStepsDrawTheTrainersGatesStepByStep() {
    ModelSpec spec = SpecNames.build("resnet-8-sd0.5-in1x8x8");
    Recorder rec = new Recorder();
    BenchResult r = Benchmark.run(config(spec), List.of(rec.wrap(new ReferenceBackend())), line -> { });
    assertTrue(r.failures().isEmpty(), r.failures().toString());
    // cold step + 2 warm-up + 2 rounds x 3 measured
    assertEquals(9, rec.trainGates.size());
    Set<String> distinct = new HashSet<>();
    for (int step = 0; step < rec.trainGates.size(); step++) {
      assertEquals(Arrays.toString(Trainer.gates(spec, 7, step).values()), Arrays.toString(rec.trainGates.get(step)),
          "step " + step + " uses the gates training would use");
      distinct.add(Arrays.toString(rec.trainGates.get(step)));
    }
    assertTrue(distinct.size() > 1, "gates vary from step to step: " + distinct);
    String testTime = Arrays.toString(BlockGates.inference(spec).values());
    assertTrue(rec.forwardGates.stream().allMatch(g -> Arrays.toString(g).equals(testTime)),
        "inference runs at test time: every block scaled by its survival probability");
  }

  @Test
  void constantDepthStepsRunEveryBlock() {
    ModelSpec spec = SpecNames.build("resnet-8-in1x8x8");
    Recorder rec = new Recorder();
    Benchmark.run(config(spec), List.of(rec.wrap(new ReferenceBackend())), line -> { });
    String ones = Arrays.toString(BlockGates.ones(spec).values());
    assertTrue(!rec.trainGates.isEmpty() && rec.trainGates.stream().allMatch(g -> Arrays.toString(g).equals(ones)));
  }
}
