package org.resbench.backend.ort.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.resbench.backend.ort.onnx.GraphPlan.ObjectiveKind;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;

/**
 * Pins the bytes of every kind of generated graph: for each spec and {@link GraphTarget} (portable, and ONNX
 * Runtime's CPU target with NCHWc block sizes 8 and 16, pinned here rather than probed, so the hashes do not depend
 * on the machine), the SHA-256 of {@code ModelProto.toByteArray()} of each graph in {@link #GRAPHS} (inference with
 * inline weights, a gated export, forward and activations with the weights as inputs, gradients of both objectives in
 * both BatchNorm modes with and without gates and path masks, training steps with three SGD settings), combined
 * into one digest per spec and target.
 *
 * <p>Written before {@link SpecGraphs} was split into collaborators, with the hashes of the code as it was: a
 * refactoring of the generator must keep them. A change meant to alter the graphs updates them (the failure message
 * lists each graph's hash). The hashes also cover spec names and content hashes (written into each graph's name and
 * doc string) and the inline weights, which are made here from the parameter names, not by the harness's
 * initialiser.
 */
class SpecGraphsGoldenHashTest {

  /** One generated graph: a plan, whether the weights are inlined, gate defaults, and the SGD settings. */
  private record Graph(String name, GraphPlan plan, boolean inline, boolean gateDefaults, SgdConfig sgd) {}

  private static final List<Graph> GRAPHS = List.of(
      new Graph("inference", GraphPlan.forward(BnMode.INFERENCE, false), true, false, null),
      new Graph("export-gated", GraphPlan.forward(BnMode.INFERENCE, true), true, true, null),
      new Graph("export-train-bn", GraphPlan.forward(BnMode.TRAIN, true), true, true, null),
      new Graph("forward-train-gated", GraphPlan.forward(BnMode.TRAIN, true), false, false, null),
      new Graph("forward-train", GraphPlan.forward(BnMode.TRAIN, false), false, false, null),
      new Graph("activations-train-gated", GraphPlan.activations(BnMode.TRAIN, true), false, false, null),
      new Graph("activations-inference", GraphPlan.activations(BnMode.INFERENCE, false), false, false, null),
      new Graph("gradients-ce-train-gated-masked-all",
          GraphPlan.gradients(BnMode.TRAIN, true, true, ObjectiveKind.CROSS_ENTROPY, true, true), false, false, null),
      new Graph("gradients-ce-train-params",
          GraphPlan.gradients(BnMode.TRAIN, false, false, ObjectiveKind.CROSS_ENTROPY, false, true), false, false,
          null),
      new Graph("gradients-cot-inference-input",
          GraphPlan.gradients(BnMode.INFERENCE, false, false, ObjectiveKind.OUTPUT_COTANGENT, true, false), false,
          false, null),
      new Graph("gradients-ce-inference-masked-params",
          GraphPlan.gradients(BnMode.INFERENCE, false, true, ObjectiveKind.CROSS_ENTROPY, false, true), false, false,
          null),
      new Graph("gradients-cot-train-gated-all",
          GraphPlan.gradients(BnMode.TRAIN, true, false, ObjectiveKind.OUTPUT_COTANGENT, true, true), false, false,
          null),
      new Graph("train-step", GraphPlan.trainStep(false), false, false, SgdConfig.HE_2016),
      new Graph("train-step-gated-nesterov", GraphPlan.trainStep(true), false, false, new SgdConfig(0.9, 5e-4, true)),
      new Graph("train-step-no-decay", GraphPlan.trainStep(false), false, false, new SgdConfig(0.5, 0, false)));

  /**
   * The digest of each spec on each target: SHA-256 over the lines {@code graph=sha256} of {@link #GRAPHS} in order.
   * From the generator before the split, with two intended changes since: the gated training step runs each block's
   * branch inside an ONNX {@code If} ({@link GraphTarget#conditionalBlocks}; with that off, {@link
   * #unconditionalGraphs},
   * only the second change remains), and the blocked (NCHWc) graphs form weight-gradient products with ONNX Runtime's
   * FusedMatMul instead of a Transpose and a MatMul (so that they need only its basic optimisation level).
   */
  private static final Map<String, String> EXPECTED = Map.ofEntries(
      Map.entry("resnet-8-in3x8x8 portable",
          "eead37cb97c69ebdf6211666b36ce9aecd0c55028aa1f4546f45de0bdf09553a"),
      Map.entry("resnet-8-in3x8x8 cpu8",
          "88e0d395609ba61946da39e3ed376fd0b039175d06c3b690633e57deee577c2d"),
      Map.entry("resnet-8-in3x8x8 cpu16",
          "854fd3af049adaa2adc112538615ae5f6ffa8b0013213f215d6337f89b547323"),
      Map.entry("resnet-8 portable",
          "0b11e91cc6afb25c5eef5f3b778a9c1feabb7d87694d3d2a260cb2b4f30a280e"),
      Map.entry("resnet-8 cpu8",
          "c7aa6faab7002d0bd8086fc985d1cae9a82ba9fcab1999bdf5b7f4efda2fb4f6"),
      Map.entry("resnet-8 cpu16",
          "e7dcc92b71121a0774a57615832e83bdab87d1234ae1e220182dd60bbee8c658"),
      Map.entry("resnet-8-b-in3x7x7 portable",
          "26743c3e3cd6fa3b13407af0bb1d55232b99440e0845c724ed77b85a7595868a"),
      Map.entry("resnet-8-b-in3x7x7 cpu8",
          "1bd3c90a68c1b8f9de468aa129805a225d593301ef316710f6bd9a80c02453fc"),
      Map.entry("resnet-8-b-in3x7x7 cpu16",
          "683da5042ed0b8800786e27c90ee42035c26330eb7d308410a3f024325735857"),
      Map.entry("plain-8-in3x8x8 portable",
          "0432a07f2f7c13b01cd325a23ba3425d5e0020dca13f703608013a9904ade2f0"),
      Map.entry("plain-8-in3x8x8 cpu8",
          "715cd76bc21aa683e594a29d546c98b8d61cccb894e58c825a0d20cb8164c2cb"),
      Map.entry("plain-8-in3x8x8 cpu16",
          "d82d37c0dc178845bf0da2fc4faf645fa58d9fbe8714d0d1101d25b461272481"),
      Map.entry("plain-8-in1x9x9 portable",
          "eabeb8cc5642a3624cc74d1a45ccd809b8387225dce919479d2905e8d8c7e89a"),
      Map.entry("plain-8-in1x9x9 cpu8",
          "3da1f7877497ceb38f8b161ad2f33bc8bf4794c81be076f846e2c77c451ae20b"),
      Map.entry("plain-8-in1x9x9 cpu16",
          "f35ed78836a1e698afc3f750be26a46c75da953cb73ed2165b2c1af9c12971a7"),
      Map.entry("resnet-8-in16x6x6 portable",
          "af840a17c8f6fc54add68b5c4a47d288d05a20e98d715c7c9e0df6462a16ee64"),
      Map.entry("resnet-8-in16x6x6 cpu8",
          "ef7dabd5f9b4467b046ae710aae71582f098bfd36c2e14d4afb0a5fd904e9651"),
      Map.entry("resnet-8-in16x6x6 cpu16",
          "203404ca7ace0dfce2eef8b9185a98ebc28838e3f2094ed6de37b0a772ac147c"),
      Map.entry("resnet-8-sd-in3x8x8 portable",
          "6e166b1f1260540f82fe3e4c93ce377b4c6cab327b4d811f11bcedbfde5659b2"),
      Map.entry("resnet-8-sd-in3x8x8 cpu8",
          "4c966244d3cebaf6283948a7cdc5e7853cc43e8faa668db3ea6d6f657f34e9ad"),
      Map.entry("resnet-8-sd-in3x8x8 cpu16",
          "776ef2dd3684054a41ad8ecc98feadc219502dc978d5c1a7a78f50da5daeff8a"),
      Map.entry("resnet-11-bottleneck-in3x8x8 portable",
          "25f918028f0a983946e9eef283a77485602b7273919f1d6ae80c0747cb834e8f"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu8",
          "0491356f7211265b9e179b89b991bfc8064e6fcdfcc1e837940660e24363cd1f"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu16",
          "90016c8c798a23f787848cbd248a4886992060f081a45a74d0d9d784be21c729"),
      Map.entry("resnext-11-2x4d-in3x8x8 portable",
          "791acbb5b13711bccada09007c8834649fb58629092c4569a892e6419368c490"),
      Map.entry("resnext-11-2x4d-in3x8x8 cpu8",
          "4493f0960e3ed111940593e75de583aeee2b2435b2e31f83704d1712c18f4d46"),
      Map.entry("resnext-11-2x4d-in3x8x8 cpu16",
          "4493f0960e3ed111940593e75de583aeee2b2435b2e31f83704d1712c18f4d46"),
      Map.entry("mlp-3x8-res-bn portable",
          "a142f18bedd1682245d7f93ce9e2098397de28586f5c8b87662fb205383924d6"),
      Map.entry("mlp-3x8-res-bn cpu8",
          "a142f18bedd1682245d7f93ce9e2098397de28586f5c8b87662fb205383924d6"),
      Map.entry("mlp-3x8-res-bn cpu16",
          "a142f18bedd1682245d7f93ce9e2098397de28586f5c8b87662fb205383924d6"),
      Map.entry("mlp-3x8-ff-post-bias portable",
          "80460e70301f43002cab8600755ae0d05e9ec45439246ed95ecbf99364d9131e"),
      Map.entry("mlp-3x8-ff-post-bias cpu8",
          "80460e70301f43002cab8600755ae0d05e9ec45439246ed95ecbf99364d9131e"),
      Map.entry("mlp-3x8-ff-post-bias cpu16",
          "80460e70301f43002cab8600755ae0d05e9ec45439246ed95ecbf99364d9131e"),
      Map.entry("mlp-2x6-res-bn-in4-out3 portable",
          "653571c7d353ec2edbfbd3753247956b2f66c96eddf6900756003a9096297ab7"),
      Map.entry("mlp-2x6-res-bn-in4-out3 cpu8",
          "653571c7d353ec2edbfbd3753247956b2f66c96eddf6900756003a9096297ab7"),
      Map.entry("mlp-2x6-res-bn-in4-out3 cpu16",
          "653571c7d353ec2edbfbd3753247956b2f66c96eddf6900756003a9096297ab7"));

  /**
   * The digests with {@link GraphTarget#conditionalBlocks} off: those of the generator before the split, every graph
   * byte-identical, except the blocked (NCHWc) graphs of the CPU targets, which use FusedMatMul since.
   */
  private static final Map<String, String> EXPECTED_UNCONDITIONAL = Map.ofEntries(
      Map.entry("resnet-8-in3x8x8 portable",
          "bcad66feb4a025fdef374c4b841d3271987babcf97efa2862ead0ab4c7974bea"),
      Map.entry("resnet-8-in3x8x8 cpu8",
          "8d51edf7c8163df5d143ea1daba31e4bfecf2867ba2499f831a6e0ce816292b5"),
      Map.entry("resnet-8-in3x8x8 cpu16",
          "0c4afeb3be61009f05354f8dec1b9a2da98455708c4b230051aa4a43c0274388"),
      Map.entry("resnet-8 portable",
          "647e0876c9fb83b278a0f4bb5899f96b256eb94d626eb4e84ab7dc6d7f804e5d"),
      Map.entry("resnet-8 cpu8",
          "35ac01282a64942aeb193611bb548ca3e143f8f2fae574818674adbed69ecbca"),
      Map.entry("resnet-8 cpu16",
          "f048c20cabca9b92abb3ab62001bfe56a5e6122676093b67fdc430f52b0164e2"),
      Map.entry("resnet-8-b-in3x7x7 portable",
          "1e4aa2e27bd62f87f045b6c635f104caf74a8b18357146df11932e17a6a21e26"),
      Map.entry("resnet-8-b-in3x7x7 cpu8",
          "57b589d3334098a4a8e4b693bfc55224438593249650d3696a7a57bb1b37c373"),
      Map.entry("resnet-8-b-in3x7x7 cpu16",
          "4932a18982ed465c73f3816a08b69d55bf25241b3c9686cd7855102f19189e0a"),
      Map.entry("plain-8-in3x8x8 portable",
          "0af444f2dc2e5be5445cd54e72d66ac8e781f80961a79a5a4d8b54684bf28a09"),
      Map.entry("plain-8-in3x8x8 cpu8",
          "bd6e4119c12458f5df8e268a396221d799d6ff9dfe1f1516ac6d8c6b29960fde"),
      Map.entry("plain-8-in3x8x8 cpu16",
          "57dcb681e754bb3483abd3bea0c44ab4f0f9b6fcf9767a48a97c02bad361742d"),
      Map.entry("plain-8-in1x9x9 portable",
          "432039d35208dbf3b52650418190b132a8489b3a7c7e6d0136844ea451569ce5"),
      Map.entry("plain-8-in1x9x9 cpu8",
          "e334e01b3b88f8f3a3c21229cae22a64cd23a3ee5a4b7dcab968c7c2e184bf4d"),
      Map.entry("plain-8-in1x9x9 cpu16",
          "51bba41c6626f799c8e82ecdf1296ade6bd2e35a3157cc204db328fe7c9b2866"),
      Map.entry("resnet-8-in16x6x6 portable",
          "140df2b187b3511609ce44dec07ef939224c59c45dcbf3617d6b3c5718cdf0e3"),
      Map.entry("resnet-8-in16x6x6 cpu8",
          "6f4ac61710417cd33aead4f546457f753455a10f689f583b5907b1cac2a3b760"),
      Map.entry("resnet-8-in16x6x6 cpu16",
          "ce3f348583f8432ca3478b83e11dd2c645f1b5e311062b79daada51e919e5089"),
      Map.entry("resnet-8-sd-in3x8x8 portable",
          "452a5ea021c864373baf6cea0b70dfb88c798b7ead66fe2685129dca451a18f7"),
      Map.entry("resnet-8-sd-in3x8x8 cpu8",
          "a6c38d0dc59c0ba27c4cd2c219de90d2461c5d7c02810c544f44905ce9e5b9f5"),
      Map.entry("resnet-8-sd-in3x8x8 cpu16",
          "69cff4faceb03104f3e86fc6c0ae1d5efc6dc3b3ebedae97771b0e8acde60f3d"),
      Map.entry("resnet-11-bottleneck-in3x8x8 portable",
          "9f9c1a9b30280c473b5cba8516ba8574e395517eff9672b83ec627b920c67936"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu8",
          "a877ccb84841ae21dd286b7240a7279857c7738d48ce7ca8b2969e5e719ce82b"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu16",
          "6b8e9776d7797333e47eace5f69c5845e40c459e0dd762f0ccf07a82c0c86a22"),
      Map.entry("resnext-11-2x4d-in3x8x8 portable",
          "6cf6ba0c077fe887a177a85999dde78836c6fd38fcf559bcd619b8d5c086f868"),
      Map.entry("resnext-11-2x4d-in3x8x8 cpu8",
          "844ca3c7082cf3f3685fb641d2fe40deb14483ec61efabf0c74c4673bde24e1e"),
      Map.entry("resnext-11-2x4d-in3x8x8 cpu16",
          "844ca3c7082cf3f3685fb641d2fe40deb14483ec61efabf0c74c4673bde24e1e"),
      Map.entry("mlp-3x8-res-bn portable",
          "a54500d73cb93aa4c18dace93956b5c7788668409987fca0f757cddcab429f2c"),
      Map.entry("mlp-3x8-res-bn cpu8",
          "a54500d73cb93aa4c18dace93956b5c7788668409987fca0f757cddcab429f2c"),
      Map.entry("mlp-3x8-res-bn cpu16",
          "a54500d73cb93aa4c18dace93956b5c7788668409987fca0f757cddcab429f2c"),
      Map.entry("mlp-3x8-ff-post-bias portable",
          "c29ee83dfb76702bd14689f2f267f1be2c00f3af7438f9097d1d6d0247913805"),
      Map.entry("mlp-3x8-ff-post-bias cpu8",
          "c29ee83dfb76702bd14689f2f267f1be2c00f3af7438f9097d1d6d0247913805"),
      Map.entry("mlp-3x8-ff-post-bias cpu16",
          "c29ee83dfb76702bd14689f2f267f1be2c00f3af7438f9097d1d6d0247913805"),
      Map.entry("mlp-2x6-res-bn-in4-out3 portable",
          "5ea60dd8a952d1243d44d162fe7d5f010887625dfd83c3a9b129f9b8b4e49e7f"),
      Map.entry("mlp-2x6-res-bn-in4-out3 cpu8",
          "5ea60dd8a952d1243d44d162fe7d5f010887625dfd83c3a9b129f9b8b4e49e7f"),
      Map.entry("mlp-2x6-res-bn-in4-out3 cpu16",
          "5ea60dd8a952d1243d44d162fe7d5f010887625dfd83c3a9b129f9b8b4e49e7f"));

  static Stream<Arguments> cases() {
    List<String> specs = List.of(
        "resnet-8-in3x8x8", // option A, first convolution on fewer channels than a block
        "resnet-8", // 32x32: training steps slice the batch for weight gradients
        "resnet-8-b-in3x7x7", // option B projections, odd sizes (ConvTranspose output padding)
        "plain-8-in3x8x8",
        "plain-8-in1x9x9",
        "resnet-8-in16x6x6", // a first convolution on a whole block of channels
        "resnet-8-sd-in3x8x8", // stochastic depth: gate defaults below 1
        "resnet-11-bottleneck-in3x8x8",
        "resnext-11-2x4d-in3x8x8", // grouped convolutions: never blocked
        "mlp-3x8-res-bn",
        "mlp-3x8-ff-post-bias",
        "mlp-2x6-res-bn-in4-out3");
    Map<String, GraphTarget> targets = new LinkedHashMap<>();
    targets.put("portable", GraphTarget.PORTABLE);
    targets.put("cpu8", GraphTarget.ortCpu(8));
    targets.put("cpu16", GraphTarget.ortCpu(16));
    return specs.stream().flatMap(s -> targets.entrySet().stream().map(t -> Arguments.of(s, t.getKey(), t.getValue())));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void generatedGraphsAreByteIdentical(String specName, String targetName, GraphTarget target) {
    check(specName, targetName, target, EXPECTED);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void unconditionalGraphs(String specName, String targetName, GraphTarget target) {
    check(specName, targetName, target.withConditionalBlocks(false), EXPECTED_UNCONDITIONAL);
  }

  private static void check(String specName, String targetName, GraphTarget target, Map<String, String> expected) {
    ModelSpec spec = SpecNames.build(specName);
    ModelState weights = weights(spec);
    float[] gates = BlockGates.inference(spec).values();
    StringBuilder lines = new StringBuilder();
    for (Graph gr : GRAPHS) {
      byte[] bytes = SpecGraphs.build(spec, gr.plan(), gr.inline() ? weights : null, gr.gateDefaults() ? gates : null,
          gr.sgd(), target, "golden", Map.of("resbench.test", "golden")).toByteArray();
      lines.append(gr.name()).append('=').append(sha256(bytes)).append('\n');
    }
    String key = specName + " " + targetName;
    String actual = sha256(lines.toString().getBytes(StandardCharsets.UTF_8));
    assertEquals(expected.get(key), actual, () -> "graphs of " + key + " changed; each graph's hash:\n" + lines
        + "entry: Map.entry(\"" + key + "\", \"" + actual + "\")");
  }

  /** Weights that depend only on each tensor's name and position (positive, as variances must be). */
  private static ModelState weights(ModelSpec spec) {
    Map<String, HostTensor> m = new LinkedHashMap<>();
    for (ParameterSpec p : spec.parameters()) {
      float[] v = new float[p.shape().size()];
      int h = p.name().hashCode();
      for (int i = 0; i < v.length; i++) {
        v[i] = 0.05f + ((h + 31 * i) & 0xff) / 256f;
      }
      m.put(p.name(), HostTensor.of(v, p.shape().dims()));
    }
    return new ModelState(spec, m);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is required of every JVM", e);
    }
  }
}
