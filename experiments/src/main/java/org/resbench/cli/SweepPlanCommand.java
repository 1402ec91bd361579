package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.resbench.experiments.sweep.Shard;
import org.resbench.experiments.sweep.SweepDefinition;
import org.resbench.experiments.sweep.SweepPlan;
import org.resbench.results.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists a sweep's cells with their stable ids. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = "List the cells of a sweep file in grid order with their stable ids (SHA-256 of each cell's resolved"
        + " configuration, backends and data: the same on every machine and every run) and, with --shards N, the"
        + " shard that runs each.")
final class SweepPlanCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "FILE", description = "The sweep file (YAML).")
  Path file;

  @Option(names = "--shards", paramLabel = "N", defaultValue = "1", description = "Show the shard of each cell among"
      + " N (default: ${DEFAULT-VALUE}).")
  int shards;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    SweepPlan plan = SweepPlan.of(SweepDefinition.read(file));
    new Shard(0, shards);
    PrintWriter out = cmd.commandLine().getOut();
    SweepDefinition d = plan.definition();
    if (json) {
      List<Map<String, Object>> cells = new ArrayList<>();
      for (SweepPlan.Cell c : plan.cells()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", c.index());
        m.put("id", c.id());
        m.put("runId", plan.runId(c));
        m.put("shard", plan.shardOf(c, shards));
        m.put("point", c.point());
        m.put("backends", c.backends());
        m.put("config", c.config());
        cells.add(m);
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sweep", d.name());
      m.put("experiment", d.experiment());
      m.put("profile", d.profile());
      m.put("hash", plan.hash());
      m.put("shards", shards);
      m.put("cells", cells);
      out.println(JsonCodec.write(m));
      return ExitCodes.OK;
    }
    out.printf(Locale.ROOT, "sweep %s: %s (%s profile), %d cells, plan %s%n", d.name(), d.experiment(), d.profile(),
        plan.cells().size(), plan.hash());
    out.printf(Locale.ROOT, "%5s  %-16s  %5s  %s%n", "#", "cell id", "shard", "grid point");
    for (SweepPlan.Cell c : plan.cells()) {
      out.printf(Locale.ROOT, "%5d  %-16s  %5s  %s%n", c.index(), c.id(), plan.shardOf(c, shards) + "/" + shards,
          c.describe());
    }
    return ExitCodes.OK;
  }
}
