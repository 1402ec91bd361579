package org.resbench.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.reports.HtmlReport;
import org.resbench.reports.ReportOptions;

class HtmlReportTest {
  static final ReportOptions FIXED = new ReportOptions("resbench report", "2026-11-23T12:00:00Z");
  private static final Pattern SVG = Pattern.compile("<svg[^>]*>.*?</svg>", Pattern.DOTALL);
  private static final Path GOLDEN = Path.of("src/test/resources/golden/report.html");

  /**
   * The chart drawings depend on the machine's font metrics, so the golden comparison replaces each SVG
   * with a marker; what the charts plot is checked separately (data-points, series in ChartTest).
   */
  static String normaliseCharts(String html) {
    Matcher m = SVG.matcher(html);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, "<svg><!-- chart --></svg>");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @Test
  void matchesTheGoldenFile() throws Exception {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY); // decimal commas must not leak into the report
    try {
      String html = normaliseCharts(HtmlReport.render(SampleRuns.all(), FIXED));
      if (Boolean.getBoolean("golden.update")) {
        Files.writeString(GOLDEN, html, StandardCharsets.UTF_8);
      }
      if (!Files.exists(GOLDEN)) {
        fail("golden file " + GOLDEN + " missing; create it with -Dgolden.update=true and review it");
      }
      assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), html,
          "report differs from the golden file; if the change is intended, rerun with -Dgolden.update=true");
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void isSelfContained() {
    String html = HtmlReport.render(SampleRuns.all(), FIXED);
    assertFalse(html.contains("<script"), "no scripts");
    assertFalse(html.contains("<link"), "no external stylesheets");
    assertFalse(html.contains("@import"), "no imported styles");
    String withoutNamespaces = html.replace("http://www.w3.org/2000/svg", "").replace("http://www.w3.org/1999/xlink",
        "")
        .replace("http://www.jfree.org", "");
    assertFalse(withoutNamespaces.contains("http://") || withoutNamespaces.contains("https://"),
        "no network references");
    assertTrue(html.startsWith("<!DOCTYPE html>"));
  }

  @Test
  void showsVerdictsFitsAndEveryChart() {
    String html = HtmlReport.render(SampleRuns.all(), FIXED);
    assertTrue(html.contains("class=\"fail\""), "a failed check is marked");
    assertTrue(html.contains("Some checks FAILED."));
    assertTrue(html.contains("exponential, b ~ 0.5 (2^-L)"), "paper's law beside the fit");
    assertTrue(html.contains("inference only"), "skips are explained");
    Matcher m = SVG.matcher(html);
    int svgs = 0;
    while (m.find()) {
      svgs++;
    }
    // parity: 1 trajectory chart; MLP: 2 Fig-1 + 2 autocorrelation + 1 decay + 1 variance; conv: 2;
    // train: loss, validation and training error; degradation: 2 per family (Fig. 6) + 2 responses (Fig. 7);
    // stochastic-depth: loss, validation error, lesions; resnext: error against C, validation error;
    // throughput: batch and thread scaling; ensemble-paths: 2 distributions, magnitude per length, 2 totals,
    // 3 lesion charts.
    assertEquals(33, svgs);
    assertTrue(html.contains("the paper&#x27;s shape is"), "the degradation verdict is shown");
    assertTrue(html.contains("(He et al. Table 6, CIFAR-10)"), "the paper's column is there");
    assertTrue(html.contains("14.50 ± 2.48 (n=3)"),
        "test errors over seeds as mean ± 95% half-width (t(0.975, 2) = 4.303)");
    assertFalse(html.contains("data-points=\"0\""), "no empty chart");
    assertTrue(html.contains("0.4537% (paper: 0.45%)"), "the paper's share of effective paths, exact, beside ours");
    assertTrue(html.contains("Verdict (plain-vs-resnet; djl-onnxruntime, ort-cpu, djl-pytorch-cpu)"),
        "one verdict text for the backends that agree");
    assertTrue(html.contains("trained here"), "the report says the nets were trained by the run");
    assertTrue(html.contains("lesions hurt the plain net much more (djl-onnxruntime, ort-cpu, djl-pytorch-cpu)"),
        "the summary table names the ensemble-paths claims and the backends where they hold");
    assertTrue(html.contains("effective paths 1-5 of 9; x0.600 per block (R² 1.00)"),
        "and the headline numbers per backend (the fixture falls as 0.6^k)");
  }

  @Test
  void throughputShowsTheRooflineFractionOnlyWhereAPeakWasMeasured() {
    String html = HtmlReport.render(List.of(SampleRuns.throughput()), FIXED);
    assertTrue(html.contains("<th>roofline fraction</th>"), "the roofline column of the per-spec table");
    assertTrue(html.contains("<th>ort-cpu roofline</th>") && html.contains("<th>djl-pytorch-cpu / ort-cpu</th>"),
        "backends side by side with their ratio to the first");
    assertTrue(html.contains("title=\"no peak measured for djl-onnxruntime\""), "blank, not invented");
    assertTrue(html.contains("resnet-20: images/s against batch size, 2 threads"), "batch-scaling chart, titled");
    assertTrue(html.contains("resnet-20: images/s against intra-op threads, batch 128"), "thread-scaling chart");
    assertTrue(html.contains("<details><summary>All figures for resnet-20"), "details folded");
    assertTrue(html.contains("ort-cpu harness / bare"), "harness-vs-bare overhead");
    assertTrue(html.contains("resnet-20, batch 128, train-step images/s"), "the summary table's headline per spec");
  }

  @Test
  void writesAtomically(@TempDir Path dir) throws Exception {
    Path out = HtmlReport.write(List.of(SampleRuns.parity()), FIXED, dir.resolve("sub/r.html"));
    assertTrue(Files.size(out) > 1000);
    try (var files = Files.list(out.getParent())) {
      assertEquals(List.of(out), files.toList(), "no partial files left");
    }
  }
}
