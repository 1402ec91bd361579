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
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import org.resbench.harness.backend.ModelExporter;
import org.resbench.harness.io.IoMessages;
import org.resbench.harness.model.Initializer;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.MemoryEstimate;
import org.resbench.harness.spec.ModelSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Writes a spec with the weights drawn from a seed as an interchange model file (ONNX), through whichever
 * {@link ModelExporter} the class path provides.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = {"Write SPEC with the weights drawn from --seed as an inference model file that other tools open.",
        "ONNX (opset 17): input 'input' [N, C, H, W] float32, output 'logits' [N, K], BatchNorm with running",
        "statistics; an optional input 'gates' [blocks] defaults to the inference gates (1, or stochastic depth's",
        "survival probabilities), so tools that feed only 'input' run the ordinary network. Provenance (spec name",
        "and hash, seed, resbench version) is in the model's metadata. The file is written atomically."})
final class ExportCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Parameters(index = "0", paramLabel = "SPEC", converter = SpecConverter.class,
      description = "A spec name, e.g. resnet-20 (see 'resbench specs').")
  ModelSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write, e.g. r20.onnx.")
  Path out;

  @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
      description = "Seed of the weights (default: ${DEFAULT-VALUE}); the same seed gives the same weights on every"
          + " backend.")
  long seed;

  @Option(names = "--format", defaultValue = "onnx", paramLabel = "NAME",
      description = "The interchange format (default: ${DEFAULT-VALUE}).")
  String format;

  @Override
  public Integer call() {
    ModelExporter exporter = exporter(format);
    boolean regular = !Outputs.check(out, "--out").inPlace();
    MemoryEstimate.of(spec, 1, MemoryEstimate.Workload.EXPORT, true, null).require();
    ModelState state = Initializer.initialize(spec, seed);
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("resbench.spec.name", spec.name());
    metadata.put("resbench.spec.hash", spec.hash());
    metadata.put("resbench.seed", Long.toString(seed));
    metadata.put("resbench.version", VersionProvider.version());
    try {
      exporter.export(spec, state, out, metadata);
    } catch (UncheckedIOException e) {
      throw new CommandFailure(ExitCodes.IO, e.getMessage(), e);
    }
    PrintWriter w = cmd.commandLine().getOut();
    String size = "";
    if (regular) {
      try {
        size = String.format(Locale.ROOT, ", %,d bytes", Files.size(out));
      } catch (java.io.IOException e) {
        throw new CommandFailure(ExitCodes.IO, "wrote " + out + " but " + IoMessages.cannot("read the size of", out, e),
            e);
      }
    }
    Outputs.announce(w, cmd.commandLine().getErr(), out, String.format(Locale.ROOT, "wrote %s: %s (hash %s), seed %d,"
        + " %s%s, %,d parameters", out, spec.name(), spec.hash(), seed, exporter.format(), size,
            spec.parameterCount()));
    return ExitCodes.OK;
  }

  /** The exporter for {@code name}, found through {@link ServiceLoader}. */
  static ModelExporter exporter(String name) {
    List<ModelExporter> found = new ArrayList<>();
    ServiceLoader.load(ModelExporter.class, ExportCommand.class.getClassLoader()).forEach(found::add);
    for (ModelExporter e : found) {
      if (e.format().equalsIgnoreCase(name)) {
        return e;
      }
    }
    if (found.isEmpty()) {
      throw new CommandFailure(ExitCodes.BACKEND, "no model exporter on the class path; the ONNX exporter ships with"
          + " the ONNX Runtime backend module (resbench-backend-onnxruntime)");
    }
    throw new IllegalArgumentException("--format " + name + " is unknown; allowed: "
        + String.join(", ", found.stream().map(ModelExporter::format).sorted().toList()));
  }
}
