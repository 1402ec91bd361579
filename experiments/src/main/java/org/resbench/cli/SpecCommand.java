package org.resbench.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Layer;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.results.JsonCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Describes one spec: structure, parameter count, MACs, hash. */
@Command(name = "spec", mixinStandardHelpOptions = true,
    description = "Describe one spec: its layers and blocks, parameter count, multiply-accumulates and hash.")
final class SpecCommand implements Runnable {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "NAME", converter = SpecConverter.class,
      description = "A spec name, e.g. resnet-20, resnet-110-sd, resnext-29-8x64d, mlp-50x200-res-bn (see 'resbench "
          + "specs').")
  ModelSpec spec;

  @Option(names = "--json",
      description = "Print JSON (fields: name, family, hash, params, macs, input, outputs, depth, "
      + "expected_depth (stochastic depth only: the expected number of blocks a training step runs, the sum of the "
      + "survival probabilities), blocks, parameters).")
  boolean json;

  @Override
  public void run() {
    PrintWriter out = cmd.commandLine().getOut();
    if (json) {
      out.println(JsonCodec.write(describe(spec)));
      return;
    }
    out.printf(Locale.ROOT, "%s  (%s, hash %s)%n", spec.name(), spec.family().label(), spec.hash());
    if (spec.blocks().stream().anyMatch(b -> b.survivalProbability() < 1)) {
      out.printf(Locale.ROOT, "  stochastic depth: expected %.2f of %d blocks run per training step (sum of p_l)%n",
          spec.expectedActiveBlocks(), spec.blocks().size());
    }
    out.printf(Locale.ROOT, "  input %s, outputs %d, weighted depth %d, %d blocks%n", spec.inputShape(), spec.outputs(),
        spec.weightedDepth(), spec.blocks().size());
    out.printf(Locale.ROOT, "  parameters %,d (%.2fM), MACs per example %,d (%.2fM)%n", spec.parameterCount(),
        spec.parameterCount() / 1e6, spec.macs(), spec.macs() / 1e6);
    out.println("  stem: " + layers(spec.stem()));
    for (Block b : spec.blocks()) {
      out.printf(Locale.ROOT, "  %-8s %-18s %-5s in %-9s p=%.4f  F: %s%s%s%n", b.name(), b.kind(),
          b.residual() ? "res" : "plain", spec.blockInputShape(b.index()), b.survivalProbability(), layers(b.branch()),
          b.shortcut().isEmpty() ? "" : "  S: " + layers(b.shortcut()),
          b.post().isEmpty() ? "" : "  post: " + layers(b.post()));
    }
    out.println("  head: " + layers(spec.head()));
  }

  private static String layers(List<Layer> ls) {
    return String.join(" > ", ls.stream().map(Layer::canonical).toList());
  }

  /** The JSON form: a map with stable key order. */
  static Map<String, Object> describe(ModelSpec s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("family", s.family().label());
    m.put("hash", s.hash());
    m.put("params", s.parameterCount());
    m.put("macs", s.macs());
    m.put("input", s.inputShape().dims());
    m.put("outputs", s.outputs());
    m.put("depth", s.weightedDepth());
    if (s.blocks().stream().anyMatch(b -> b.survivalProbability() < 1)) {
      // Huang et al.'s expected depth, in blocks: the mean number of blocks a training step runs.
      m.put("expected_depth", s.expectedActiveBlocks());
    }
    List<Map<String, Object>> blocks = new ArrayList<>();
    for (Block b : s.blocks()) {
      Map<String, Object> bm = new LinkedHashMap<>();
      bm.put("index", b.index());
      bm.put("name", b.name());
      bm.put("kind", b.kind().name().toLowerCase(Locale.ROOT));
      bm.put("residual", b.residual());
      bm.put("survival", b.survivalProbability());
      bm.put("downsamples", b.downsamples());
      blocks.add(bm);
    }
    m.put("blocks", blocks);
    List<Map<String, Object>> params = new ArrayList<>();
    for (ParameterSpec p : s.parameters()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.name());
      pm.put("shape", p.shape().dims());
      pm.put("role", p.role().name().toLowerCase(Locale.ROOT));
      params.add(pm);
    }
    m.put("parameters", params);
    return m;
  }
}
