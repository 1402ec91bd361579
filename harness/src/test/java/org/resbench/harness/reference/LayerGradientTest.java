package org.resbench.harness.reference;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.Conv2d;
import org.resbench.harness.spec.Flatten;
import org.resbench.harness.spec.GlobalAvgPool;
import org.resbench.harness.spec.Linear;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.Relu;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SubsamplePad;

/**
 * Every layer type of the spec, alone, proven by central finite differences in float64: input gradients
 * and all parameter gradients, every coordinate. Each net is the layer under test followed by a Flatten;
 * the objective is {@code sum(cotangent * output)} with a random cotangent, or cross-entropy.
 */
class LayerGradientTest {

  static Stream<Arguments> layers() {
    return Stream.of(
        Arguments.of(Nets.layers("conv-3x3-s1-p1-bias", Shape.of(4, 5, 6),
            new Conv2d("c", 4, 6, 3, 1, 1, 1, true)), BnMode.TRAIN),
        Arguments.of(Nets.layers("conv-3x3-s2-p1-grouped2-bias", Shape.of(4, 7, 6),
            new Conv2d("c", 4, 6, 3, 2, 1, 2, true)), BnMode.TRAIN),
        Arguments.of(Nets.layers("conv-3x3-s2-p0-grouped4", Shape.of(8, 7, 7),
            new Conv2d("c", 8, 8, 3, 2, 0, 4, false)), BnMode.TRAIN),
        Arguments.of(Nets.layers("conv-1x1-s2-projection", Shape.of(4, 6, 6),
            Conv2d.of("c", 4, 8, 1, 2, 0)), BnMode.TRAIN),
        Arguments.of(Nets.layers("conv-3x3-s3-p2-bias", Shape.of(3, 7, 5),
            new Conv2d("c", 3, 4, 3, 3, 2, 1, true)), BnMode.TRAIN),
        Arguments.of(Nets.layers("conv-5x5-s1-p2-depthwise", Shape.of(3, 6, 6),
            new Conv2d("c", 3, 3, 5, 1, 2, 3, false)), BnMode.TRAIN),
        Arguments.of(Nets.layers("batchnorm-nchw-train", Shape.of(3, 4, 5), BatchNorm.of("bn", 3)), BnMode.TRAIN),
        Arguments.of(Nets.layers("batchnorm-nchw-inference", Shape.of(3, 4, 5), BatchNorm.of("bn", 3)),
            BnMode.INFERENCE),
        Arguments.of(Nets.layers("batchnorm-nc-train", Shape.of(5), BatchNorm.of("bn", 5)), BnMode.TRAIN),
        Arguments.of(Nets.layers("batchnorm-nc-inference", Shape.of(5), BatchNorm.of("bn", 5)), BnMode.INFERENCE),
        Arguments.of(Nets.layers("relu", Shape.of(2, 3, 3), new Relu()), BnMode.TRAIN),
        Arguments.of(Nets.layers("linear-bias", Shape.of(6), new Linear("fc", 6, 4, true)), BnMode.TRAIN),
        Arguments.of(Nets.layers("linear", Shape.of(6), new Linear("fc", 6, 4, false)), BnMode.TRAIN),
        Arguments.of(Nets.layers("global-avg-pool", Shape.of(3, 4, 5), new GlobalAvgPool()), BnMode.TRAIN),
        Arguments.of(Nets.layers("flatten-then-linear", Shape.of(2, 3, 3), new Flatten(),
            new Linear("fc", 18, 3, true)), BnMode.TRAIN),
        Arguments.of(Nets.layers("subsample-pad-s2", Shape.of(3, 5, 5), new SubsamplePad(3, 7, 2)), BnMode.TRAIN),
        Arguments.of(Nets.layers("subsample-pad-s1", Shape.of(3, 4, 4), new SubsamplePad(3, 5, 1)), BnMode.TRAIN));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("layers")
  void layerGradientsMatchFiniteDifferences(ModelSpec spec, BnMode mode) {
    int n = 3;
    Network net = Nets.network(spec, 5);
    Nets.checkGradients(spec.name(), net, Nets.input(spec, n, 6), mode, new double[0],
        Nets.cotangentObjective(n, spec.outputs(), 7), Integer.MAX_VALUE, 0);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("classifiers")
  void crossEntropyGradientMatchesFiniteDifferences(ModelSpec spec) {
    int n = 4;
    Network net = Nets.network(spec, 5);
    Nets.checkGradients(spec.name(), net, Nets.input(spec, n, 6), BnMode.TRAIN, new double[0],
        Nets.crossEntropyObjective(n, spec.outputs(), 7), Integer.MAX_VALUE, 0);
  }

  static Stream<ModelSpec> classifiers() {
    return Stream.of(Nets.layers("softmax-cross-entropy-5", Shape.of(6), new Linear("fc", 6, 5, true)),
        Nets.layers("softmax-cross-entropy-2", Shape.of(3), new Linear("fc", 3, 2, false)));
  }
}
