package org.resbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.resbench.cli.CliRunner.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.resbench.cli.CliRunner.Run;

class PathsCommandTest {

  @Test
  void resNet110HasThePapersShareOfPathsOfLength5To17() throws Exception {
    Run r = run("paths", "resnet-110", "--range", "5-17", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(54, j.get("residualBlocks").asInt());
    assertEquals("18014398509481984", j.get("paths").asText(), "2^54, exact");
    assertEquals(27.0, j.get("mean").asDouble());
    assertEquals(55, j.get("lengths").size());
    assertEquals("1946939425648112", j.get("lengths").get(27).get("count").asText(), "C(54, 27)");
    assertEquals("81725384002200", j.get("range").get("count").asText());
    assertEquals(0.004536670150778743, j.get("range").get("share").asDouble(), 1e-18);
    assertTrue(j.get("range").get("shareExact").asText().startsWith("0.004536670150778743"));
    Run text = run("paths", "resnet-110", "--range", "5-17");
    assertEquals(0, text.code(), text.err());
    assertTrue(text.out().contains("54 residual blocks") && text.out().contains("0.4537% of all"), text.out());
  }

  @Test
  void aThousandBlocksAreExactAndPlainNetsHaveOnePath() throws Exception {
    // resnet-2000 would be 6n+2 with n = 333: 999 blocks
    Run r = run("paths", "resnet-2000", "--range", "450-550", "--json");
    assertEquals(0, r.code(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out());
    assertEquals(999, j.get("residualBlocks").asInt());
    for (JsonNode l : j.get("lengths")) {
      assertTrue(l.get("share").asDouble() > 0, "no underflow: " + l);
    }
    assertTrue(j.get("range").get("share").asDouble() > 0.99);
    Run plain = run("paths", "plain-20");
    assertEquals(0, plain.code(), plain.err());
    assertTrue(plain.out().contains("0 residual blocks of 9") && plain.out().contains("one path"), plain.out());
  }

  @Test
  void helpShowsTheExampleWithoutFormatWarnings() {
    Run r = run("paths", "--help");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("(0.4537% of the 2^54 paths;") && r.out().contains("Veit et al.: 0.45%)"), r.out());
    assertTrue(!r.out().contains("WARN") && !r.err().contains("WARN"), r.out() + r.err());
  }

  @Test
  void aBadRangeIsAUsageError() {
    Run r = run("paths", "resnet-20", "--range", "3-12");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("range=3-12") && r.err().contains("B <= 9"), r.err());
    r = run("paths", "resnet-20", "--range", "five");
    assertEquals(ExitCodes.USAGE, r.code());
    assertTrue(r.err().contains("allowed: A-B"), r.err());
  }
}
