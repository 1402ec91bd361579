package org.resbench.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.resbench.harness.spec.Family;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Lists the model families, the name grammar and example names with their sizes. */
@Command(name = "specs", mixinStandardHelpOptions = true,
    description = "List the model families, the spec-name grammar, and example names with parameters and MACs.")
final class SpecsCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Override
  public void run() {
    PrintWriter out = cmd.commandLine().getOut();
    out.println("Families:");
    out.println("  plain-D                    He et al. 2016 CIFAR plain net, D = 6n+2 (20, 32, 44, 56, 110)");
    out.println("  resnet-D[-b][-sd[P]]       CIFAR ResNet, D = 6n+2; -b option-B projections (default A);");
    out.println("                             -sd stochastic depth, linear decay to p_L = P (default 0.5)");
    out.println("  resnet-D-bottleneck[-a]    bottleneck ResNet, D = 9n+2 (164); option B (default) or A");
    out.println("  resnext-D-CxWd             ResNeXt, D = 9n+2 (29), cardinality C, bottleneck width W");
    out.println("  mlp-DxW-(ff|res)           D fully connected blocks of width W, feedforward or residual;");
    out.println("     [-bn][-post][-bias][-lecun]  BatchNorm; post-activation; random biases; LeCun weights");
    out.println("  any: -in<shape> -out<K>    input shape (default 3x32x32, MLPs 1) and outputs (10, MLPs 1)");
    out.println();
    out.printf(Locale.ROOT, "%-26s %-18s %12s %14s  %s%n", "Example", "Family", "Params", "MACs/example", "Hash");
    for (String name : SpecNames.EXAMPLES) {
      ModelSpec s = SpecNames.build(name);
      out.printf(Locale.ROOT, "%-26s %-18s %12s %14s  %s%n", s.name(), s.family().label(),
          String.format(Locale.ROOT, "%,d", s.parameterCount()), String.format(Locale.ROOT, "%,d", s.macs()), s.hash());
    }
    out.println();
    out.println("Details of one spec: resbench spec NAME [--json]. Families: "
        + java.util.Arrays.stream(Family.values()).filter(f -> f != Family.CUSTOM).map(Family::label).toList());
  }
}
