package org.resbench.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.results.JsonCodec;
import org.resbench.results.RecordCsv;
import org.resbench.results.ResultsStore;
import org.resbench.results.RunRecord;

/**
 * The record's formats for other tools: every record the suite produces (the sample records of every experiment
 * type, the quickstart-sized ones, and records the CLI writes) validates against the versioned JSON Schema that
 * {@code runs show ID --json} follows, a broken record does not, and {@code runs show ID --csv DIR} writes every table
 * and series with a header line.
 */
class RecordFormatsTest {
  static final String SCHEMA = "/org/resbench/results/schema/run-record-v" + RunRecord.SCHEMA + ".schema.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  static Schema schema() throws Exception {
    try (InputStream in = RecordFormatsTest.class.getResourceAsStream(SCHEMA)) {
      assertTrue(in != null, "the schema of format version " + RunRecord.SCHEMA + " is " + SCHEMA);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    }
  }

  static List<String> errors(Schema schema, JsonNode record) {
    List<String> out = new ArrayList<>();
    for (Error e : schema.validate(record)) {
      out.add(e.getInstanceLocation() + ": " + e.getMessage());
    }
    return out;
  }

  @Test
  void everySampleRecordValidatesAgainstTheSchema() throws Exception {
    Schema schema = schema();
    List<RunRecord> records = new ArrayList<>(SampleRuns.all());
    records.addAll(QuickstartSizedRuns.all());
    for (RunRecord r : records) {
      JsonNode json = JSON.readTree(JsonCodec.write(r));
      assertEquals(List.of(), errors(schema, json), r.id());
    }
  }

  @Test
  void aBrokenRecordDoesNotValidate() throws Exception {
    Schema schema = schema();
    ObjectNode good = (ObjectNode) JSON.readTree(JsonCodec.write(SampleRuns.parity()));
    ObjectNode status = good.deepCopy();
    status.put("status", "DONE");
    assertFalse(errors(schema, status).isEmpty(), "an unknown status");
    ObjectNode check = good.deepCopy();
    ((ObjectNode) check.get("data").get("checks").get(0)).remove("passed");
    assertTrue(errors(schema, check).toString().contains("passed"), errors(schema, check).toString());
    ObjectNode unknown = good.deepCopy();
    unknown.set("data", JSON.readTree("{\"type\": \"some-plugin\", \"anything\": [1, 2]}"));
    assertEquals(List.of(), errors(schema, unknown), "a plug-in's data needs only a type");
  }

  @Test
  void recordsTheCliWritesValidateAndExportAsCsv(@TempDir Path dir) throws Exception {
    String results = dir.resolve("results").toString();
    CliRunner.Run t = CliRunner.run("train", "mlp-2x8-res-bn", "--backend", "reference", "--data",
        "synthetic-1x4x4-n40", "--steps", "4", "--batch", "8", "--no-progress", "--results", results);
    assertEquals(0, t.code(), t.err());
    CliRunner.Run p = CliRunner.run("run", "parity", "--backends", "reference,ort-cpu", "--set",
        "specs=[mlp-3x16-res-bn-out4]", "--set", "scenarios=[FORWARD_INFERENCE,GRADIENTS_CROSS_ENTROPY]", "--set",
        "steps=3", "--no-progress", "--results", results);
    assertEquals(0, p.code(), p.err());
    Schema schema = schema();
    List<RunRecord> runs = new ResultsStore(Path.of(results)).list();
    assertEquals(2, runs.size());
    for (RunRecord r : runs) {
      CliRunner.Run show = CliRunner.run("runs", "show", r.id(), "--json", "--results", results);
      assertEquals(0, show.code(), show.err());
      assertEquals(List.of(), errors(schema, JSON.readTree(show.out())), r.id());

      Path csv = dir.resolve("csv-" + r.experiment());
      CliRunner.Run c = CliRunner.run("runs", "show", r.id(), "--csv", csv.toString(), "--results", results);
      assertEquals(0, c.code(), c.err());
      Map<String, String> expected = RecordCsv.tables(r);
      for (Map.Entry<String, String> e : expected.entrySet()) {
        Path f = csv.resolve(e.getKey());
        assertTrue(Files.isRegularFile(f), f + " written");
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertEquals(e.getValue(), text);
        String header = text.substring(0, text.indexOf('\n'));
        assertFalse(header.isBlank(), f + " has a header line");
        assertTrue(text.lines().count() >= 2, f + " has rows");
      }
      assertTrue(c.out().contains(expected.size() + " CSV files of run " + r.id()), c.out());
    }
    RunRecord train = runs.stream().filter(r -> r.experiment().equals("train")).findFirst().orElseThrow();
    Map<String, String> tables = RecordCsv.tables(train);
    assertTrue(tables.keySet().containsAll(List.of("run.csv", "provenance.csv", "data.csv", "runs.csv",
        "runs.history.loss.csv", "runs.history.evaluations.csv")), tables.keySet().toString());
    String loss = tables.get("runs.history.loss.csv");
    assertTrue(loss.startsWith("cell,group,spec,backend,seed,batch,totalSteps,status,"), loss.substring(0, 80));
    assertEquals(1 + 4, loss.lines().count(), "a header and one row per step");
    RunRecord parity = runs.stream().filter(r -> r.experiment().equals("parity")).findFirst().orElseThrow();
    String checks = RecordCsv.tables(parity).get("checks.csv");
    assertTrue(checks.startsWith("spec,backend,scenario,quantity,worstTensor,worstPosition,maxAbsError,maxRelError,"
        + "worstRatio,tolerance,passed,seed\n"), checks.substring(0, 120));
    assertTrue(checks.contains(",\"forward, BN inference, inference gates\","), "a field with commas is quoted: "
        + checks.substring(0, 300));

    CliRunner.Run noShow = CliRunner.run("runs", "--csv", dir.toString(), "--results", results);
    assertEquals(2, noShow.code(), noShow.err());
  }
}
