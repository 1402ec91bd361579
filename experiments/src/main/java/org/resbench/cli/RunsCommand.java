package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.resbench.results.JsonCodec;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists runs, or prints one. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = "List the runs in the results folder, oldest first; 'runs show ID' prints one run record (an id or a"
        + " unique prefix).")
final class RunsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", arity = "0..1", paramLabel = "show", description = "'show' to print one run.")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The run to show.")
  String id;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Mixin
  ResultsOption results;

  @Override
  public Integer call() {
    PrintWriter out = cmd.commandLine().getOut();
    ResultsStore store = results.store();
    try {
      if (action != null) {
        if (!action.equals("show") || id == null) {
          throw new IllegalArgumentException("runs " + action + (id == null ? "" : " " + id)
              + "; allowed: 'resbench runs' or 'resbench runs show ID'");
        }
        out.println(JsonCodec.write(store.get(id)));
        return ExitCodes.OK;
      }
      List<RunRecord> runs = store.list();
      if (json) {
        out.println(JsonCodec.write(runs.stream().map(r -> java.util.Map.of("id", r.id(), "experiment", r.experiment(),
            "status", r.status().name(), "start", r.provenance().start())).toList()));
        return ExitCodes.OK;
      }
      if (runs.isEmpty()) {
        out.println("No runs in " + store.root() + ". Start one with 'resbench run EXPERIMENT' or 'resbench quickstart'.");
        return ExitCodes.OK;
      }
      out.printf(Locale.ROOT, "%-46s %-20s %-8s %-10s %s%n", "id", "experiment", "profile", "status", "backends");
      for (RunRecord r : runs) {
        out.printf(Locale.ROOT, "%-46s %-20s %-8s %-10s %s%n", r.id(), r.experiment(), r.profile(), r.status(),
            String.join(",", r.provenance().backends().stream().map(b -> b.name()).toList()));
      }
      out.println(runs.size() + " runs in " + store.root());
      return ExitCodes.OK;
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
  }
}
