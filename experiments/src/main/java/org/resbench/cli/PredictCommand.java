package org.resbench.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.Capability;
import org.resbench.harness.backend.Session;
import org.resbench.harness.io.NpyArray;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.tensor.HostTensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** A backend's logits for an input given as a NumPy array, written as a NumPy array. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"Run SPEC on one backend with the weights drawn from --seed (or trained --weights) and write its "
        + "outputs (logits [N, K], float32) for the examples in --input as a NumPy .npy file, so NumPy, PyTorch or a "
        + "notebook can check them. The same seed gives the same weights as 'resbench export' and every experiment.",
        "Exit 0 ok, 2 bad input (a shape, dtype or gate count that does not fit the spec, with what was expected), "
            + "3 a backend that is unavailable or cannot run inference, 4 an I/O error."})
final class PredictCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec
  CommandSpec cmd;

  @Mixin
  ModelOptions model;

  @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Where to write the logits.")
  Path out;

  @Override
  public Integer call() {
    BnMode bn = model.bnMode();
    BlockGates gates = model.blockGates();
    HostTensor x = model.inputTensor();
    ModelState state = model.state();
    Backend backend = model.chosenBackend("run inference", Capability.INFERENCE);
    HostTensor logits;
    try (Session s = model.open(backend, state)) {
      logits = s.forward(x, bn, gates);
    }
    Path written = NpyFiles.write(out, NpyArray.of(logits.data(), logits.shape()));
    PrintWriter w = cmd.commandLine().getOut();
    w.printf(Locale.ROOT, "wrote %s: logits (%s) float32 from %s, %s, %s, BN %s, gates %s%n", written,
        ModelOptions.join(logits.shape()), backend.name(), model.spec.name(), model.weightsDescription(),
        bn.name().toLowerCase(Locale.ROOT), model.gates);
    return ExitCodes.OK;
  }
}
