package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.resbench.harness.data.DataLocator;
import org.resbench.harness.data.DataLocator.Search;
import org.resbench.harness.data.DataOptions;
import org.resbench.harness.data.DatasetDescriptor;
import org.resbench.harness.data.KnownDatasets;
import org.resbench.harness.data.ProgressListener;
import org.resbench.harness.data.Verification;
import org.resbench.results.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code resbench data list}: every known data set, present or not, where, counts, checksum verdict. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = {"Show each known data set: present or not, where, counts, checksums.", "",
        "For each data set: whether it is present, where (and which search place",
        "found it), its training and test example counts, and whether every file",
        "matches its pinned sha256. Exits with 1 when a present data set fails",
        "verification."})
final class DataListCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @ParentCommand
  DataCommand parent;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Look here first (DIR/NAME or DIR itself).")
  Path dataDir;

  @Option(names = "--json", description = "Print JSON: a list of {name, title, present, location, foundIn, train,"
      + " test, checksums, verdict, files, problems, looked, fetch}.")
  boolean json;

  @Override
  public void run() {
    PrintWriter out = cmd.commandLine().getOut();
    DataLocator locator = new DataLocator(dataDir, parent.environment);
    List<Map<String, Object>> rows = new ArrayList<>();
    boolean bad = false;
    locator.requireUsableRoots();
    for (DatasetDescriptor d : parent.catalog) {
      locator.requireUsable(d);
    }
    for (DatasetDescriptor d : parent.catalog) {
      Map<String, Object> row = describe(d, locator);
      bad |= "mismatch".equals(row.get("verdict"));
      rows.add(row);
    }
    rows.add(synthetic());
    if (json) {
      out.println(JsonCodec.write(rows));
    } else {
      print(out, rows);
    }
    out.flush();
    if (bad) {
      throw new CommandFailure(ExitCodes.FAILURE, "a data set failed verification (see 'checksums' above); fetch it"
          + " again with 'resbench data fetch NAME'");
    }
  }

  static Map<String, Object> describe(DatasetDescriptor d, DataLocator locator) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", d.name());
    m.put("title", d.title());
    Search s = locator.search(d);
    m.put("present", s.found().isPresent());
    if (s.found().isPresent()) {
      DataLocator.Location loc = s.found().get();
      Verification.Report r = Verification.check(loc, ProgressListener.SILENT);
      m.put("location", loc.dir().toString());
      m.put("foundIn", loc.place().origin());
      m.put("train", r.trainCount());
      m.put("test", r.testCount());
      m.put("checksums", r.summary());
      m.put("verdict", r.verdict().label());
      List<Map<String, Object>> files = new ArrayList<>();
      for (Verification.FileCheck c : r.files()) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("file", c.path().getFileName().toString());
        f.put("sha256", c.sha256());
        f.put("verdict", c.verdict().label());
        f.put("basis", c.basis());
        files.add(f);
      }
      m.put("files", files);
      m.put("problems", r.problems());
    } else {
      m.put("location", null);
      m.put("foundIn", null);
      m.put("train", null);
      m.put("test", null);
      m.put("checksums", null);
      m.put("verdict", "absent");
    }
    m.put("looked", s.looked());
    m.put("fetch", d.fetchCommand());
    return m;
  }

  private static Map<String, Object> synthetic() {
    DataOptions o = DataOptions.defaults();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", KnownDatasets.SYNTHETIC);
    m.put("title", "seeded synthetic images (learnable classes)");
    m.put("present", true);
    m.put("location", "generated on demand");
    m.put("foundIn", null);
    m.put("train", o.syntheticTrain());
    m.put("test", o.syntheticTest());
    m.put("checksums", "n/a (generated from a seed)");
    m.put("verdict", "generated");
    m.put("fetch", null);
    return m;
  }

  private static void print(PrintWriter out, List<Map<String, Object>> rows) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"Data set", "Present", "Train", "Test", "Checksums", "Location"});
    for (Map<String, Object> r : rows) {
      boolean present = (boolean) r.get("present");
      boolean mismatch = "mismatch".equals(r.get("verdict"));
      String where;
      if (!present) {
        where = "not found; get it with: " + r.get("fetch");
      } else if (r.get("foundIn") != null) {
        where = r.get("location") + " (" + r.get("foundIn") + ")";
      } else {
        where = String.valueOf(r.get("location"));
      }
      String verdict = !present ? "-" : mismatch ? "MISMATCH" : String.valueOf(r.get("checksums"));
      lines.add(new String[] {String.valueOf(r.get("name")), present ? "yes" : "no", number(r.get("train")),
          number(r.get("test")), verdict, where});
    }
    int[] w = new int[5];
    for (String[] l : lines) {
      for (int i = 0; i < w.length; i++) {
        w[i] = Math.max(w[i], l[i].length());
      }
    }
    String fmt = "%-" + w[0] + "s  %-" + w[1] + "s  %" + w[2] + "s  %" + w[3] + "s  %-" + w[4] + "s  %s%n";
    for (int i = 0; i < lines.size(); i++) {
      String[] l = lines.get(i);
      out.printf(Locale.ROOT, fmt, (Object[]) l);
      if (i > 0 && "mismatch".equals(rows.get(i - 1).get("verdict"))) {
        out.println("    " + rows.get(i - 1).get("checksums"));
      }
    }
  }

  private static String number(Object o) {
    if (!(o instanceof Integer n)) {
      return "-";
    }
    return n < 0 ? "?" : String.format(Locale.ROOT, "%,d", n);
  }
}
