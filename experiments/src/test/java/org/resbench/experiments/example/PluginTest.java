package org.resbench.experiments.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.cli.CliRunner;
import org.resbench.experiments.ExperimentCatalog;
import org.resbench.experiments.ExperimentPlugin;
import org.resbench.results.JsonCodec;

/**
 * The plug-in mechanism end to end, with the worked example of the README: an experiment in one package plus
 * one {@code META-INF/services} line is listed, configured from its YAML, run, stored, read back and rendered,
 * and a record of an experiment this build does not know still lists and renders.
 */
class PluginTest {

  @Test
  void theCatalogFindsEveryRegisteredExperimentSortedByName() {
    List<String> names = ExperimentCatalog.plugins().stream().map(ExperimentPlugin::name).toList();
    assertEquals(List.of("degradation", "ensemble-paths", "logit-scale", "parity", "resnext", "shattered-gradients",
        "stochastic-depth", "throughput", "train"), names);
    assertEquals(List.of("parity", "shattered-gradients"), ExperimentCatalog.plugins().stream()
        .filter(p -> p.quickstartProfile().isPresent()).map(ExperimentPlugin::name).toList(),
        "the quickstart suite is what the plug-ins declare");
  }

  @Test
  void anExperimentAddedAsAPluginRunsIsStoredAndRendered(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    Path html = dir.resolve("r.html");
    CliRunner.Run r = CliRunner.run("run", "logit-scale", "--backends", "reference", "--no-progress",
        "--results", results.toString(), "--report", html.toString());
    assertEquals(0, r.code(), r.err());
    Path record;
    try (var runs = Files.list(results)) {
      record = runs.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow()
          .resolve("run.json");
    }
    JsonNode json = JsonCodec.mapper().readTree(Files.readString(record));
    assertEquals("logit-scale", json.path("data").path("type").asText());
    assertEquals(2, json.path("data").path("rows").size(), "two specs from the smoke profile");
    String page = Files.readString(html);
    assertTrue(page.contains("logit sd"), "the plug-in's section rendered");
    assertTrue(page.contains("resnet-8-in3x8x8"));

    CliRunner.Run listed = CliRunner.run("experiments");
    assertTrue(listed.out().contains("logit-scale"), listed.out());
  }

  @Test
  void aRecordOfAnUnknownExperimentListsAndRendersGenerically(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("results");
    assertEquals(0, CliRunner.run("run", "logit-scale", "--backends", "reference", "--no-progress", "--results",
        results.toString()).code());
    Path folder;
    try (var runs = Files.list(results)) {
      folder = runs.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
    }
    Path runJson = folder.resolve("run.json");
    Files.writeString(runJson, Files.readString(runJson).replace("\"type\" : \"logit-scale\"",
        "\"type\" : \"from-the-future\""));

    CliRunner.Run list = CliRunner.run("runs", "--results", results.toString());
    assertEquals(0, list.code(), list.err());
    assertTrue(list.out().contains(folder.getFileName().toString()), list.out());

    Path html = dir.resolve("generic.html");
    CliRunner.Run rep = CliRunner.run("report", "--all", "--out", html.toString(), "--results", results.toString());
    assertEquals(0, rep.code(), rep.err());
    String page = Files.readString(html);
    assertTrue(page.contains("does not know the experiment &#x27;from-the-future&#x27;")
        || page.contains("does not know the experiment 'from-the-future'"), page);
    assertTrue(page.contains("Stored data (JSON"), "the raw summary is folded under its heading");
    assertFalse(page.contains("logit sd"), "no section was guessed");
  }
}
