package org.resbench.cli;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.results.JsonCodec;
import org.resbench.results.RecordCsv;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Lists runs, or prints one. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = {"List the runs in the results folder, oldest first; 'runs show ID' prints one run record (an id or a"
        + " unique prefix) as JSON: the full record, whose format is the JSON Schema"
        + " results/src/main/resources/org/resbench/results/schema/run-record-v1.schema.json.",
        "'runs show ID --csv DIR' writes each table and series of the record as a CSV file with a header line"
            + " (run.csv, provenance.csv, data.csv, one file per list of the data; series in long form)."})
final class RunsCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", arity = "0..1", paramLabel = "show", description = "'show' to print one run.")
  String action;

  @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The run to show.")
  String id;

  @Option(names = "--json", description = "Print JSON (the list; 'show' always prints the full record as JSON).")
  boolean json;

  @Option(names = "--csv", paramLabel = "DIR",
      description = "With 'show': write the record's tables and series as CSV files into DIR instead.")
  Path csv;

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
        RunRecord record = store.get(id);
        if (csv != null) {
          writeCsv(record, out);
          return ExitCodes.OK;
        }
        out.println(JsonCodec.write(record));
        return ExitCodes.OK;
      }
      if (csv != null) {
        throw new IllegalArgumentException("--csv without 'show ID'; allowed: resbench runs show ID --csv DIR");
      }
      ResultsStore.Listing listing = store.scan();
      List<RunRecord> runs = listing.runs();
      PrintWriter err = cmd.commandLine().getErr();
      if (json) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (RunRecord r : runs) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", r.id());
          m.put("experiment", r.experiment());
          m.put("status", r.status().name());
          m.put("start", r.provenance().start());
          rows.add(m);
        }
        for (ResultsStore.Damaged d : listing.damaged()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", d.id());
          m.put("status", "DAMAGED");
          m.put("path", d.path().toString());
          m.put("reason", d.reason());
          rows.add(m);
        }
        out.println(JsonCodec.write(rows));
        warnAbandoned(err, listing);
        return ExitCodes.OK;
      }
      if (runs.isEmpty() && listing.damaged().isEmpty()) {
        out.println("No runs in " + store.root() + (java.nio.file.Files.exists(store.root()) ? ""
            : " (the folder does not exist yet)") + ". Start one with 'resbench run EXPERIMENT' or"
            + " 'resbench quickstart'.");
        warnAbandoned(err, listing);
        return ExitCodes.OK;
      }
      out.printf(Locale.ROOT, "%-46s %-20s %-8s %-10s %s%n", "id", "experiment", "profile", "status", "backends");
      for (RunRecord r : runs) {
        out.printf(Locale.ROOT, "%-46s %-20s %-8s %-10s %s%n", r.id(), r.experiment(), r.profile(), r.status(),
            String.join(",", r.provenance().backends().stream().map(b -> b.name()).toList()));
      }
      for (ResultsStore.Damaged d : listing.damaged()) {
        out.printf(Locale.ROOT, "%-46s %-20s %-8s %-10s %s%n", d.id(), "?", "?", "DAMAGED", d.reason());
      }
      out.println(runs.size() + " runs in " + store.root() + (listing.damaged().isEmpty() ? ""
          : "; " + listing.damaged().size() + " damaged (skipped by report --all and --latest)"));
      warnAbandoned(err, listing);
      return ExitCodes.OK;
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
  }

  private static void warnAbandoned(PrintWriter err, ResultsStore.Listing listing) {
    for (java.nio.file.Path p : listing.abandoned()) {
      err.println("warning: " + p + " is the temporary folder of a run killed while it was written (abandoned);"
          + " the next run deletes it");
    }
  }

  /** Writes every table of {@code record} into {@code csv}, each file atomically, and lists them. */
  private void writeCsv(RunRecord record, PrintWriter out) {
    if (Files.exists(csv) && !Files.isDirectory(csv)) {
      throw new IllegalArgumentException("--csv " + csv + " is a file; allowed: a folder (made when missing)");
    }
    Map<String, String> tables = RecordCsv.tables(record);
    for (Map.Entry<String, String> t : tables.entrySet()) {
      Path file = AtomicFiles.writeString(csv.resolve(t.getKey()), t.getValue());
      long rows = t.getValue().chars().filter(c -> c == '\n').count() - 1;
      out.printf(Locale.ROOT, "%s (%d rows)%n", file, rows);
    }
    out.println(tables.size() + " CSV files of run " + record.id() + " in " + csv);
  }
}
