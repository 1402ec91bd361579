package org.resbench.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.resbench.experiments.nightly.Calibration;
import org.resbench.experiments.nightly.DelayedBackend;
import org.resbench.experiments.nightly.Suite;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BackendException;
import org.resbench.harness.backend.Backends;
import org.resbench.results.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** One calibration set in its own JVM (used by 'nightly --calibrate'). */
@Command(name = "probe", hidden = true, mixinStandardHelpOptions = true,
    description = "Time one set of inference calls, optionally slowed by a fraction, and print the raw samples as"
        + " JSON (one calibration set; 'resbench nightly --calibrate' runs these).")
final class NightlyProbeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Option(names = "--backend", required = true)
  String backend;

  @Option(names = "--spec", required = true)
  String spec;

  @Option(names = "--batch", defaultValue = "128")
  int batch;

  @Option(names = "--warmup", defaultValue = "3")
  int warmup;

  @Option(names = "--rounds", defaultValue = "5")
  int rounds;

  @Option(names = "--iterations", defaultValue = "6")
  int iterations;

  @Option(names = "--threads", defaultValue = "0")
  int threads;

  @Option(names = "--slowdown", defaultValue = "0")
  double slowdown;

  @Override
  public Integer call() {
    Backend b = Backends.discover().get(backend);
    if (!b.probe().available()) {
      throw new BackendException(b.name(), "unavailable: " + b.probe().unavailableReason());
    }
    Suite.Bench target = new Suite.Bench(backend, spec, batch, warmup, rounds, iterations, false, threads, null);
    double[] seconds = Calibration.probe(target, slowdown > 0 ? new DelayedBackend(b, slowdown) : b);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("backend", backend);
    m.put("spec", spec);
    m.put("batch", batch);
    m.put("slowdown", slowdown);
    m.put("seconds", seconds);
    cmd.commandLine().getOut().println(JsonCodec.write(m));
    return ExitCodes.OK;
  }
}
