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
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.SgdConfig;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.spec.ParameterSpec;
import org.resbench.harness.spec.SpecNames;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.backend.ort.onnx.GraphPlan.ObjectiveKind;

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
   * From the generator before the split, except for the gated training step, which since then runs each block's
   * branch inside an ONNX {@code If} ({@link GraphTarget#conditionalBlocks}; with that off every graph hashes as
   * before, {@link #unconditionalGraphsAreAsBeforeTheSplit}).
   */
  private static final Map<String, String> EXPECTED = Map.ofEntries(
      Map.entry("resnet-8-in3x8x8 portable",
          "eead37cb97c69ebdf6211666b36ce9aecd0c55028aa1f4546f45de0bdf09553a"),
      Map.entry("resnet-8-in3x8x8 cpu8",
          "59777183d2e40d0229f9f3147fc92a7533814bfb727a3172a6eca901a4c88371"),
      Map.entry("resnet-8-in3x8x8 cpu16",
          "7c827d72f72c9003264e5dc8ec0c34608b1f84de2b1ed8111193fd77a04cbffe"),
      Map.entry("resnet-8 portable",
          "0b11e91cc6afb25c5eef5f3b778a9c1feabb7d87694d3d2a260cb2b4f30a280e"),
      Map.entry("resnet-8 cpu8",
          "c759e966b8a171cf30c737af51d26c19638611dcf62918a25ecb9a5467089d35"),
      Map.entry("resnet-8 cpu16",
          "65480042101fe8744df52c888e55f6cd76e4b077e598959dce78e3fa4b1f08cc"),
      Map.entry("resnet-8-b-in3x7x7 portable",
          "26743c3e3cd6fa3b13407af0bb1d55232b99440e0845c724ed77b85a7595868a"),
      Map.entry("resnet-8-b-in3x7x7 cpu8",
          "66432752b13742f1aac109d9704f52c891c8407f2b68cae328a7255c1591b455"),
      Map.entry("resnet-8-b-in3x7x7 cpu16",
          "7f1195e76c9b1db9b2d0c3e6d890b76db26b7b6eb397598a7ffe01286d21234c"),
      Map.entry("plain-8-in3x8x8 portable",
          "0432a07f2f7c13b01cd325a23ba3425d5e0020dca13f703608013a9904ade2f0"),
      Map.entry("plain-8-in3x8x8 cpu8",
          "5080fbb1677a1c799049629db231008a63326ad6bd96df9d89d7220a2a16b052"),
      Map.entry("plain-8-in3x8x8 cpu16",
          "e1f85af83877cdb1dfc89ce3772c95bbc44e074f841ac73afcca32d71d74516b"),
      Map.entry("plain-8-in1x9x9 portable",
          "eabeb8cc5642a3624cc74d1a45ccd809b8387225dce919479d2905e8d8c7e89a"),
      Map.entry("plain-8-in1x9x9 cpu8",
          "b1b8362ae1c04b094986636d089de0b6d58ba7c72c10c6be65897df965b9b393"),
      Map.entry("plain-8-in1x9x9 cpu16",
          "476c2411459b1c68a3cf3ddb87cd7d7cf1187705fac550c541cbc9d574893361"),
      Map.entry("resnet-8-in16x6x6 portable",
          "af840a17c8f6fc54add68b5c4a47d288d05a20e98d715c7c9e0df6462a16ee64"),
      Map.entry("resnet-8-in16x6x6 cpu8",
          "4e115e92c466e5ced1c4a4e43c88f0adf647c890180f3dbe031bcbc36d8a115a"),
      Map.entry("resnet-8-in16x6x6 cpu16",
          "a62db2f0bf2e76b31e35f8f20d12d180fff81e060d673d2c9c287b0fb46921f2"),
      Map.entry("resnet-8-sd-in3x8x8 portable",
          "6e166b1f1260540f82fe3e4c93ce377b4c6cab327b4d811f11bcedbfde5659b2"),
      Map.entry("resnet-8-sd-in3x8x8 cpu8",
          "04970cd3958467073001f30647eb9dfdaf5135132afafc595ddcfa8ed24c7730"),
      Map.entry("resnet-8-sd-in3x8x8 cpu16",
          "3dc299b8417187d214fed63477954989987e95cb02ffb18c7c964e977ac6b1d0"),
      Map.entry("resnet-11-bottleneck-in3x8x8 portable",
          "25f918028f0a983946e9eef283a77485602b7273919f1d6ae80c0747cb834e8f"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu8",
          "10768423e97119a65662a172f7bc8867663ad733c539d740ccf199446bcd70c3"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu16",
          "b21dec77e57fe8157ae34b424d076440214f26e4abe9bd2663147e0b6040e21c"),
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
   * byte-identical.
   */
  private static final Map<String, String> EXPECTED_UNCONDITIONAL = Map.ofEntries(
      Map.entry("resnet-8-in3x8x8 portable",
          "bcad66feb4a025fdef374c4b841d3271987babcf97efa2862ead0ab4c7974bea"),
      Map.entry("resnet-8-in3x8x8 cpu8",
          "c0f9ecf8ea2c8384898dbec3d033fbffce0cb76ddbb7387fb943c6514b616670"),
      Map.entry("resnet-8-in3x8x8 cpu16",
          "3726688799a257b30106c1e180ab9f339cbbc2cb0e5cc8e52ec9eaa5ce864965"),
      Map.entry("resnet-8 portable",
          "647e0876c9fb83b278a0f4bb5899f96b256eb94d626eb4e84ab7dc6d7f804e5d"),
      Map.entry("resnet-8 cpu8",
          "f92a1508c29f6ca3c0893241aac1cfa54dd991f146eb44d207aeeab64425afa9"),
      Map.entry("resnet-8 cpu16",
          "84eeb8add1901835f4f5a8df0c8c620c9ed1455579b3cb64443fe204995aeabc"),
      Map.entry("resnet-8-b-in3x7x7 portable",
          "1e4aa2e27bd62f87f045b6c635f104caf74a8b18357146df11932e17a6a21e26"),
      Map.entry("resnet-8-b-in3x7x7 cpu8",
          "65af877284888fa797c2a0fbd80e12a5336a12ebfedd07a2f000230d15029902"),
      Map.entry("resnet-8-b-in3x7x7 cpu16",
          "34b2644b162a0ded3d12e873c9da4c4454b510afedad658d255db81ebe78f092"),
      Map.entry("plain-8-in3x8x8 portable",
          "0af444f2dc2e5be5445cd54e72d66ac8e781f80961a79a5a4d8b54684bf28a09"),
      Map.entry("plain-8-in3x8x8 cpu8",
          "dc90101ee6ad209e7cb92b733a9121fdfb8fac60869e89acd25130707dee4f89"),
      Map.entry("plain-8-in3x8x8 cpu16",
          "a57cb0e7a34be7725db86eb43e03f20d96107678af1d19e5cb5964c6fc1769d1"),
      Map.entry("plain-8-in1x9x9 portable",
          "432039d35208dbf3b52650418190b132a8489b3a7c7e6d0136844ea451569ce5"),
      Map.entry("plain-8-in1x9x9 cpu8",
          "e76d548046af2d22fa609b59db9f0fb1535e0e90be14e0805bbc36f90869a363"),
      Map.entry("plain-8-in1x9x9 cpu16",
          "e54e708e27fac55ca6b36d56a2ce663d5e37abbfa6b019b65715aadf09fdb1a5"),
      Map.entry("resnet-8-in16x6x6 portable",
          "140df2b187b3511609ce44dec07ef939224c59c45dcbf3617d6b3c5718cdf0e3"),
      Map.entry("resnet-8-in16x6x6 cpu8",
          "4a13953aa1ed9237f7f6249865a35cf3e4140e6a058f1f5c1f11a815eb48bc50"),
      Map.entry("resnet-8-in16x6x6 cpu16",
          "c6ac65a5860da664f893dd8dc21a2169bc8a963b9f714a264e86f4fc6702e1cb"),
      Map.entry("resnet-8-sd-in3x8x8 portable",
          "452a5ea021c864373baf6cea0b70dfb88c798b7ead66fe2685129dca451a18f7"),
      Map.entry("resnet-8-sd-in3x8x8 cpu8",
          "387209f52be89680695d2f94c5cb18c342df9a70e6708468337632abc0ca542e"),
      Map.entry("resnet-8-sd-in3x8x8 cpu16",
          "e85db3a527f85d8f8c804161eee536357f6c24f4174f6337360d1c4ad71ff02b"),
      Map.entry("resnet-11-bottleneck-in3x8x8 portable",
          "9f9c1a9b30280c473b5cba8516ba8574e395517eff9672b83ec627b920c67936"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu8",
          "8de0681fc7a62a111c46cda9cc2af4c21e0c457a0190059f9003a56d8dceb7db"),
      Map.entry("resnet-11-bottleneck-in3x8x8 cpu16",
          "4686fc9bc3b606f5780ade1344a24453549b1c12c594477473635e261cbf9f25"),
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
  void unconditionalGraphsAreAsBeforeTheSplit(String specName, String targetName, GraphTarget target) {
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
