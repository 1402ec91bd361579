package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.resbench.experiments.sweep.SweepMerger;
import org.resbench.results.RunStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Joins shards' results folders. */
@Command(name = "merge", mixinStandardHelpOptions = true,
    description = "Join the results folders of a sweep's shards into one run set in a new folder: every cell's record"
        + " and a summary record ('resbench report --all --results OUT' renders it). Refuses shards of different"
        + " plans (a changed sweep file) or different resbench builds, cells recorded twice, and missing cells"
        + " (unless --partial). Exit 0 when every cell passed, 1 when one did not (the set is written either way).")
final class SweepMergeCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(paramLabel = "DIR", arity = "1..*", description = "The shards' results folders.")
  List<Path> dirs;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty folder for the set.")
  Path out;

  @Option(names = "--partial", description = "Merge even when cells are missing (the summary lists them).")
  boolean partial;

  @Override
  public Integer call() {
    PrintWriter o = cmd.commandLine().getOut();
    SweepMerger.Result r;
    try {
      r = SweepMerger.merge(dirs, out, partial);
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
    for (String m : r.summary().messages()) {
      o.println(m);
    }
    if (!r.ignored().isEmpty()) {
      o.println("ignored " + r.ignored().size() + " records that belong to no sweep: " + r.ignored());
    }
    o.println("merged run set: " + out.toAbsolutePath().normalize() + " (summary " + r.summary().id() + ", "
        + r.summary().status() + ")");
    return r.summary().status() == RunStatus.PASSED ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
