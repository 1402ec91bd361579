package org.resbench.results;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonCodecTest {

  private static RunRecord withData(ExperimentData d) {
    Provenance p = new Provenance(Map.of("seed", 1), "abc", List.of(), 0, Map.of(), Map.of(), "0.1.0", "deadbeef",
        "2026-12-04T10:00:00Z", "2026-12-04T10:00:01Z");
    return new RunRecord(RunRecord.SCHEMA, "r1", "sample", "smoke", RunStatus.PASSED, List.of(), p, d);
  }

  @Test
  void dataIsWrittenWithItsPluginsTypeNameAndReadBackIntoItsRecord() throws Exception {
    String json = JsonCodec.write(withData(new SampleData(List.of("a"), new double[] {1, 2})));
    JsonNode tree = JsonCodec.mapper().readTree(json);
    assertEquals("sample", tree.path("data").path("type").asText());
    SampleData back = (SampleData) JsonCodec.read(json, RunRecord.class).data();
    assertEquals(List.of("a"), back.specs());
    assertArrayEquals(new double[] {1, 2}, back.losses());
  }

  @Test
  void dataOfAnUnknownExperimentIsKeptWholeAndWrittenBackUnchanged() throws Exception {
    String json = JsonCodec.write(withData(new SampleData(List.of("a"), new double[] {1})))
        .replace("\"type\" : \"sample\"", "\"type\" : \"from-the-future\"");
    RunRecord r = JsonCodec.read(json, RunRecord.class);
    UnknownData u = assertInstanceOf(UnknownData.class, r.data());
    assertEquals("from-the-future", u.type());
    assertEquals("a", u.json().path("specs").get(0).asText());
    assertEquals(JsonCodec.mapper().readTree(json), JsonCodec.mapper().readTree(JsonCodec.write(r)),
        "an unknown record survives a round trip");
  }

  @Test
  void installedPluginsAreFoundAndDuplicatesRejected() {
    assertTrue(ResultTypes.installed().byName("sample").isPresent());
    assertEquals(List.of(), ResultTypes.installed().all(String.class));
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> new ResultTypes(List.of(new SampleData.Type(), new SampleData.Type())));
    assertTrue(e.getMessage().contains("'sample'"), e.getMessage());
  }

  @Test
  void dataOfAnUnregisteredClassIsAnErrorNamingIt() {
    record Stray(int x) implements ExperimentData {}
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> JsonCodec.write(withData(new Stray(1))));
    assertTrue(String.valueOf(e.getMessage() + e.getCause()).contains("Stray"));
  }
}
