package org.resbench.harness.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SpecNamesTest {

  @Test
  void everyExampleRoundTrips() {
    for (String name : SpecNames.EXAMPLES) {
      Architecture a = SpecNames.parse(name);
      assertEquals(name, a.name(), "canonical name of " + name);
      assertEquals(a, SpecNames.parse(a.name()));
      assertEquals(name, a.build().name());
    }
  }

  @ParameterizedTest
  @CsvSource({
      "resnet-110-sd0.5, resnet-110-sd",
      "RESNET-20, resnet-20",
      "resnet-20-sd-b, resnet-20-b-sd",
      "resnet-20-a, resnet-20",
      "resnet-164-bottleneck-b, resnet-164-bottleneck",
      "mlp-4x10-bn-res, mlp-4x10-res-bn",
      "mlp-4x10-ff-in1-out1, mlp-4x10-ff",
      "resnet-20-in3x32x32-out10, resnet-20"})
  void aliasesParseToTheirCanonicalName(String alias, String canonical) {
    assertEquals(canonical, SpecNames.parse(alias).name());
  }

  @Test
  void distinctSpecsHaveDistinctHashes() {
    Set<String> hashes = new HashSet<>();
    for (String name : SpecNames.EXAMPLES) {
      assertTrue(hashes.add(SpecNames.build(name).hash()), "hash collision at " + name);
    }
    // Same structure, different survival: different hash.
    assertNotEquals(SpecNames.build("resnet-20").hash(), SpecNames.build("resnet-20-sd").hash());
  }

  @Test
  void hashIsStableAcrossBuildsAndReleases() {
    // Pinned: a change here changes every recorded run's spec hash, so it must be deliberate.
    assertEquals("7202b7e4a5d92623", SpecNames.build("resnet-20").hash());
    assertEquals(SpecNames.build("mlp-50x200-res-bn").hash(), SpecNames.build("mlp-50x200-res-bn").hash());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "resnet-21 | depth=21 is not of the form 6n+2",
      "plain-2 | depth=2 is not of the form 6n+2",
      "resnet-21-bottleneck | depth=21 is not of the form 9n+2",
      "resnext-30-8x64d | depth=30 is not of the form 9n+2",
      "resnet-20-sd1.5 | finalSurvival (p_L)=1.5; allowed: (0, 1]",
      "resnet-20-sd0 | finalSurvival (p_L)=0.0; allowed: (0, 1]",
      "plain-20-b | shortcut=B on a plain net",
      "vgg-16 | unknown family 'vgg'; allowed: plain, resnet, resnext, mlp",
      "resnet-20-x | unknown option 'x'; allowed: b (option-B shortcuts)",
      "mlp-0x200-ff | depth=0; allowed: a positive integer",
      "mlp-4x0-ff | width=0; allowed: a positive integer",
      "mlp-4x10 | missing 'ff' or 'res'",
      "resnext-29-0x4d | cardinality=0; allowed: a positive integer",
      "resnet-20-in0x32x32 | dimension 0 is 0",
      "resnet-20-in32 | input=32; allowed: an image shape CxHxW",
      "resnet-20-out0 | classes=0; allowed: a positive integer",
      "resnet-abc | depth 'abc' is not an integer"})
  void invalidNamesAreRejectedWithFieldValueAndAllowed(String name, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpecNames.build(name));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertTrue(e.getMessage().contains("spec '" + name + "'"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " "})
  void emptyNamesAreRejected(String name) {
    assertThrows(IllegalArgumentException.class, () -> SpecNames.parse(name));
  }
}
