package org.resbench.harness.reference;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.SpecNames;

/**
 * Whole small nets of every family, proven by central finite differences in float64: the input gradient
 * and a sample of coordinates of every trainable parameter, with BatchNorm in both modes (training-mode
 * gradients include the batch statistics' dependence on every example) and with block gates that are 1,
 * fractional (stochastic depth at inference, Huang et al. Eq. 6) and 0 (stochastic-depth drops, lesions).
 */
class NetworkGradientTest {
  /**
   * Probes per tensor: 2 random coordinates (catch an error confined to a few positions at full strength)
   * and 2 dense random unit directions (touch every coordinate at once).
   */
  private static final int COORDINATES = 2;
  private static final int DIRECTIONS = 2;
  private static final int BATCH = 3;

  static Stream<Arguments> nets() {
    return Stream.of(
        Arguments.of("resnet-8-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("resnet-8-in3x8x8", BnMode.INFERENCE, "ones"),
        Arguments.of("resnet-8-b-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("resnet-8-b-in3x8x8", BnMode.INFERENCE, "ones"),
        Arguments.of("plain-8-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("plain-8-in3x8x8", BnMode.TRAIN, "lesion"),
        Arguments.of("plain-8-in3x8x8", BnMode.TRAIN, "fractional"),
        Arguments.of("resnet-8-sd-in3x8x8", BnMode.TRAIN, "inference"),
        Arguments.of("resnet-8-sd-in3x8x8", BnMode.INFERENCE, "inference"),
        Arguments.of("resnet-8-sd-in3x8x8", BnMode.TRAIN, "sampled"),
        Arguments.of("resnet-14-sd-in3x8x8", BnMode.TRAIN, "lesion"),
        Arguments.of("resnet-11-bottleneck-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("resnet-11-bottleneck-in3x8x8", BnMode.INFERENCE, "ones"),
        Arguments.of("resnet-11-bottleneck-a-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("resnext-11-2x4d-in3x8x8", BnMode.TRAIN, "ones"),
        Arguments.of("mlp-3x8-res-bn", BnMode.TRAIN, "ones"),
        Arguments.of("mlp-3x8-res-bn", BnMode.INFERENCE, "ones"),
        Arguments.of("mlp-3x8-ff-post-bias", BnMode.TRAIN, "ones"),
        Arguments.of("mlp-3x8-ff-bn-post", BnMode.TRAIN, "lesion"),
        Arguments.of("mlp-3x8-res-bias-lecun", BnMode.TRAIN, "ones"),
        Arguments.of("mlp-2x6-res-bn-in4-out3", BnMode.TRAIN, "ones"));
  }

  /**
   * Gates by name: all ones, inference (p_b), a Bernoulli draw with a 0, block 1 lesioned, or a fractional 0.4 on block
   * 1.
   */
  static double[] gates(ModelSpec spec, String kind) {
    BlockGates g = switch (kind) {
      case "ones" -> BlockGates.ones(spec);
      case "inference" -> BlockGates.inference(spec);
      case "lesion" -> BlockGates.lesion(BlockGates.ones(spec), 1);
      case "fractional" -> {
        float[] v = BlockGates.ones(spec).values();
        v[1] = 0.4f;
        yield BlockGates.of(v);
      }
      case "sampled" -> sampledWithADrop(spec);
      default -> throw new IllegalArgumentException(kind);
    };
    float[] f = g.values();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  /** The first stochastic-depth draw (seeds 0, 1, ...) that drops at least one block and keeps at least one. */
  private static BlockGates sampledWithADrop(ModelSpec spec) {
    for (long seed = 0; ; seed++) {
      BlockGates g = BlockGates.sample(spec, Rngs.stream(seed, "gates"));
      float[] v = g.values();
      boolean drop = false;
      boolean keep = false;
      for (float f : v) {
        drop |= f == 0;
        keep |= f == 1;
      }
      if (drop && keep) {
        return g;
      }
    }
  }

  @ParameterizedTest(name = "{0} BN {1} gates {2}")
  @MethodSource("nets")
  void gradientsMatchFiniteDifferences(String name, BnMode mode, String gateKind) {
    ModelSpec spec = SpecNames.build(name);
    Network net = Nets.network(spec, 11);
    double[] gates = gates(spec, gateKind);
    Nets.checkGradients(name + " " + mode + " " + gateKind, net, Nets.input(spec, BATCH, 12), mode,
        gates, Nets.objectiveFor(spec, BATCH, 13), COORDINATES, DIRECTIONS);
  }
}
