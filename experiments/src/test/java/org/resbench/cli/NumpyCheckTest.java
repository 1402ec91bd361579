package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.harness.io.Npy;
import org.resbench.harness.io.NpyArray;
import org.resbench.results.ResultsStore;

/**
 * The README's NumPy check, run for real: NumPy makes the input, {@code resbench predict} and {@code resbench grad}
 * write their outputs, and NumPy checks them (shapes and dtypes, the cross-entropy recomputed from the logits, and
 * the gradient against a central difference of two {@code predict} calls). Skipped, saying why, where python3 with
 * numpy is missing. Also: {@code --weights run:ID} gives the trained net's logits.
 */
class NumpyCheckTest {

  static boolean numpyPresent() {
    try {
      Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  static String python(Path dir, String script) throws Exception {
    Path file = dir.resolve("check.py");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Process p = new ProcessBuilder("python3", file.toString()).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  @Test
  void numpyChecksPredictAndGrad(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(numpyPresent(), "python3 with numpy not found; skipping the NumPy cross-check");
    python(dir, """
        import numpy as np
        rng = np.random.default_rng(0)
        x = rng.standard_normal((4, 3, 8, 8)).astype(np.float32)
        # Along x itself: a ReLU net without biases at initialisation is positively homogeneous, so x(1 +- eps)
        # crosses no ReLU kink and the central difference is exact up to rounding (a random direction crosses many).
        d = x
        eps = np.float32(1e-2)
        np.save("x.npy", x)
        np.save("y.npy", np.array([1, 0, 7, 3]))
        np.save("x_plus.npy", x + eps * d)
        np.save("x_minus.npy", x - eps * d)
        """);
    String spec = "resnet-8-in3x8x8";
    for (String name : new String[] {"x", "x_plus", "x_minus"}) {
      CliRunner.Run p = CliRunner.run("predict", spec, "--backend", "reference", "--seed", "3", "--input",
          dir.resolve(name + ".npy").toString(), "--out", dir.resolve("logits_" + name + ".npy").toString());
      assertEquals(0, p.code(), p.err());
    }
    CliRunner.Run g = CliRunner.run("grad", spec, "--backend", "reference", "--seed", "3", "--input",
        dir.resolve("x.npy").toString(), "--labels", dir.resolve("y.npy").toString(), "--out",
        dir.resolve("dx.npy").toString(), "--param-grads", dir.resolve("dw.npz").toString());
    assertEquals(0, g.code(), g.err());
    String objective = g.out().replaceAll("(?s).*objective ([-0-9.eE]+).*", "$1").trim();
    String out = python(dir, """
        import numpy as np
        def ce(z, y):
            z = z.astype(np.float64)
            m = z.max(axis=1, keepdims=True)
            logp = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
            return -logp[np.arange(len(y)), y].mean()
        x, y = np.load("x.npy"), np.load("y.npy")
        z, dx = np.load("logits_x.npy"), np.load("dx.npy")
        assert z.shape == (4, 10) and z.dtype == np.float32, (z.shape, z.dtype)
        assert dx.shape == x.shape and dx.dtype == np.float32, (dx.shape, dx.dtype)
        assert abs(ce(z, y) - %s) < 1e-5, (ce(z, y), %s)
        xp, xm = np.load("x_plus.npy"), np.load("x_minus.npy")
        numeric = ce(np.load("logits_x_plus.npy"), y) - ce(np.load("logits_x_minus.npy"), y)
        analytic = float((dx.astype(np.float64) * (xp.astype(np.float64) - xm)).sum())
        rel = abs(numeric - analytic) / abs(analytic)
        dw = np.load("dw.npz")
        assert "block0.branch.conv1.weight" in dw.files or any(k.endswith("conv1.weight") for k in dw.files), dw.files
        print("numeric %%.6e analytic %%.6e relative difference %%.2e" %% (numeric, analytic, rel))
        assert rel < 1e-3, rel
        """.formatted(objective, objective));
    assertTrue(out.contains("relative difference"), out);
  }

  @Test
  void weightsFromATrainingRunAreThatRunsNet(@TempDir Path dir) throws Exception {
    String results = dir.resolve("results").toString();
    CliRunner.Run t = CliRunner.run("train", "mlp-2x8-res-bn", "--backend", "reference", "--data",
        "synthetic-1x4x4-n40", "--steps", "4", "--batch", "8", "--no-progress", "--results", results);
    assertEquals(0, t.code(), t.err());
    String id = new ResultsStore(Path.of(results)).list().get(0).id();
    String spec = "mlp-2x8-res-bn-in1x4x4-out10";
    Path in = Npy.write(dir.resolve("x.npy"), NpyArray.of(PredictGradCliTest.randomInput(1, 2 * 16), 2, 1, 4, 4));
    CliRunner.Run trained = CliRunner.run("predict", spec, "--backend", "reference", "--weights", "run:" + id,
        "--input", in.toString(), "--out", dir.resolve("trained.npy").toString(), "--results", results);
    assertEquals(0, trained.code(), trained.err());
    assertTrue(trained.out().contains("weights run:" + id), trained.out());
    CliRunner.Run fresh = CliRunner.run("predict", spec, "--backend", "reference", "--input", in.toString(), "--out",
        dir.resolve("fresh.npy").toString());
    assertEquals(0, fresh.code(), fresh.err());
    assertTrue(!java.util.Arrays.equals(Npy.read(dir.resolve("trained.npy")).toFloats(),
        Npy.read(dir.resolve("fresh.npy")).toFloats()), "trained weights differ from the seed's");

    CliRunner.Run other = CliRunner.run("predict", "mlp-2x8-res-bn-in1x4x4", "--backend", "reference", "--weights",
        "run:" + id, "--input", in.toString(), "--out", dir.resolve("o.npy").toString(), "--results", results);
    assertEquals(ExitCodes.USAGE, other.code(), other.err());
    assertTrue(other.err().contains("holds " + spec), other.err());
  }
}
