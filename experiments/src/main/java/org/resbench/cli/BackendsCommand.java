package org.resbench.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.Backends;
import org.resbench.harness.backend.Capabilities;
import org.resbench.harness.backend.Capability;
import org.resbench.results.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Lists every discovered backend with what a probe found. */
@Command(name = "backends", mixinStandardHelpOptions = true,
    description = "List every backend on the class path: availability on this machine (probed, not assumed), "
        + "engine and version, device, and capabilities; for an unavailable one, the reason.")
final class BackendsCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Option(names = "--json",
      description = "Print JSON: a list of {name, description, available, reason, engine, version, device, "
      + "capabilities}.")
  boolean json;

  @Override
  public void run() {
    PrintWriter out = cmd.commandLine().getOut();
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Backend b : Backends.discover().all()) {
      rows.add(describe(b));
    }
    if (json) {
      out.println(JsonCodec.write(rows));
      return;
    }
    if (rows.isEmpty()) {
      out.println("No backends on the class path.");
      return;
    }
    out.printf(Locale.ROOT, "%-18s %-10s %-6s %-22s %s%n", "Backend", "Available", "Device", "Engine", "Capabilities");
    for (Map<String, Object> r : rows) {
      out.printf(Locale.ROOT, "%-18s %-10s %-6s %-22s %s%n", r.get("name"), (boolean) r.get("available") ? "yes" : "no",
          r.get("device"), r.get("engine") + " " + r.get("version"), String.join(", ",
              asStrings(r.get("capabilities"))));
      if (!(boolean) r.get("available")) {
        out.println("    unavailable: " + r.get("reason"));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> asStrings(Object o) {
    return (List<String>) o;
  }

  static Map<String, Object> describe(Backend b) {
    Capabilities c = b.probe();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", b.name());
    m.put("description", b.description());
    m.put("available", c.available());
    m.put("reason", c.unavailableReason());
    m.put("engine", c.engine());
    m.put("version", c.engineVersion());
    m.put("device", c.device().name().toLowerCase(Locale.ROOT));
    m.put("capabilities", c.supported().stream().sorted().map(x -> x.name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .toList());
    return m;
  }

  static List<String> capabilityNames() {
    return java.util.Arrays.stream(Capability.values()).map(Enum::name).toList();
  }
}
