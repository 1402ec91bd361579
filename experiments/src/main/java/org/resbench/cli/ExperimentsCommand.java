package org.resbench.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.resbench.experiments.Experiment;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentPlugin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the experiment catalog. */
@Command(name = "experiments", mixinStandardHelpOptions = true,
    description = "List the experiments 'resbench run' takes, with what they need from a backend.")
final class ExperimentsCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Override
  public void run() {
    PrintWriter out = cmd.commandLine().getOut();
    for (ExperimentPlugin<?, ?> p : ExperimentCatalog.plugins()) {
      Experiment<?> e = p.experiment();
      out.printf(Locale.ROOT, "%-22s %s%n%-22s needs: %s; profiles: smoke (minutes on a 2-core CPU), paper%s%n",
          e.name(), e.description(), "", e.requiredCapabilities().stream().map(c -> c.name().toLowerCase(Locale.ROOT)
              .replace('_', '-')).toList(), p.quickstartProfile().map(q -> "; in quickstart (" + q + ")").orElse(""));
    }
  }
}
