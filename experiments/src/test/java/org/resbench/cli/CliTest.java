package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resbench.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.resbench.cli.CliRunner.Run;

class CliTest {

  @Test
  void specJsonReportsThePapersParameterCount() throws Exception {
    Run r = run("spec", "resnet-20", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("resnet-20", j.get("name").asText());
    assertEquals(269_722, j.get("params").asLong());
    assertEquals(40_551_040, j.get("macs").asLong());
    assertEquals("7202b7e4a5d92623", j.get("hash").asText());
    assertEquals(9, j.get("blocks").size());
  }

  @Test
  void specTextShowsBlocksAndCosts() {
    Run r = run("spec", "resnet-110-sd");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("parameters 1,727,962"), r.out());
    assertTrue(r.out().contains("block53"), r.out());
    assertTrue(r.out().contains("p=0.5000"), r.out());
    assertTrue(r.out().contains("expected 40.25 of 54 blocks"), "Huang et al.: (3L - 1) / 4 for L = 54");
  }

  @Test
  void specJsonGivesTheExpectedDepthOfStochasticDepthNetsOnly() throws Exception {
    JsonNode sd = new ObjectMapper().readTree(run("spec", "resnet-110-sd", "--json").out());
    assertEquals((3 * 54 - 1) / 4.0, sd.get("expected_depth").asDouble(), 1e-12);
    JsonNode sd8 = new ObjectMapper().readTree(run("spec", "resnet-20-sd0.8", "--json").out());
    double expected = 0;
    for (int l = 1; l <= 9; l++) {
      expected += 1 - (double) l / 9 * (1 - 0.8);
    }
    assertEquals(expected, sd8.get("expected_depth").asDouble(), 1e-9, "in general the sum of p_l");
    assertFalse(new ObjectMapper().readTree(run("spec", "resnet-110", "--json").out()).has("expected_depth"));
  }

  @Test
  void unknownSpecIsAUsageErrorThatShowsTheGrammar() {
    Run r = run("spec", "resnet-21");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("depth=21 is not of the form 6n+2"), r.err());
    assertTrue(r.err().contains("resnet-110-sd"), r.err());
    r = run("spec", "vgg-16");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("allowed: plain, resnet, resnext, mlp"), r.err());
  }

  @Test
  void specsListsEveryFamily() {
    Run r = run("specs");
    assertEquals(0, r.code());
    for (String s : new String[] {"plain-20", "resnet-110-sd", "resnet-164-bottleneck", "resnext-29-8x64d",
        "mlp-50x200-res-bn"}) {
      assertTrue(r.out().contains(s), s);
    }
  }

  @Test
  void backendsJsonIsAListWithTheDocumentedFields() throws Exception {
    Run r = run("backends", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertTrue(j.isArray());
    for (JsonNode b : j) {
      for (String f : new String[] {"name", "available", "engine", "version", "device", "capabilities"}) {
        assertTrue(b.has(f), f + " in " + b);
      }
      if (!b.get("available").asBoolean()) {
        assertTrue(!b.get("reason").asText().isBlank());
      }
    }
  }

  @Test
  void helpAndVersionWork() {
    Run r = run("--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("Exit codes"));
    r = run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().startsWith("resbench "));
    r = run("spec", "--help");
    assertEquals(0, r.code());
    assertTrue(r.out().contains("--json"));
    r = run("no-such-command");
    assertEquals(ExitCodes.USAGE, r.code());
  }

  @Test
  void benchKeepsRawSamplesAndSkipsWhatABackendLacks() throws Exception {
    Run r = run("bench", "--backends", "reference", "--spec", "mlp-2x8-ff-out3", "--batch", "2,4", "--rounds", "2",
        "--iterations", "3", "--warmup", "1", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals("mlp-2x8-ff-out3", j.get("spec").asText());
    // inference and train-step for each batch; no bare loop on the reference.
    assertEquals(4, j.get("cells").size());
    for (JsonNode c : j.get("cells")) {
      assertEquals(6, c.get("seconds").size(), "2 rounds x 3 iterations, every sample kept");
    }
    assertTrue(j.get("skipped").toString().contains("reference bare-inference"));
    r = run("bench", "--backends", "nope");
    assertEquals(ExitCodes.USAGE, r.code());
  }
}
