package org.resbench.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.resbench.reports.HtmlReport;

/**
 * The report's layout for people, on the sample records and on stand-ins of the quickstart's size: summary and
 * contents first, a CSV link and a text alternative on every chart, header cells in every table, long tables folded,
 * and the page budget.
 */
class ReportLayoutTest {
  private static final Pattern FIGURE = Pattern.compile("<figure class=\"chart\".*?</figure>", Pattern.DOTALL);
  private static final Pattern CSV = Pattern.compile("<a href=\"(data:text/csv;charset=utf-8,[^\"]*)\" download=\""
      + "[a-z0-9-]+\\.csv\" class=\"csv\">");

  /** The quickstart report's budget: under 1 MB (it was 2.4 MB before charts were compacted). */
  static final int PAGE_BUDGET = 1_000_000;

  @Test
  void aQuickstartSizedReportStaysUnderTheBudget() {
    String html = HtmlReport.render(QuickstartSizedRuns.all(), HtmlReportTest.FIXED);
    int bytes = html.getBytes(StandardCharsets.UTF_8).length;
    System.out.println("ReportLayoutTest: quickstart-sized report " + bytes + " bytes (budget " + PAGE_BUDGET + ")");
    assertTrue(bytes < PAGE_BUDGET, "quickstart-sized report is " + bytes + " bytes; budget " + PAGE_BUDGET);
  }

  @Test
  void opensWithTheSummaryThenTheContents() {
    String html = HtmlReport.render(SampleRuns.all(), HtmlReportTest.FIXED);
    int summary = html.indexOf("<section class=\"summary\" id=\"summary\">");
    int contents = html.indexOf("<nav class=\"toc\" id=\"contents\">");
    int firstRun = html.indexOf("<section class=\"run\"");
    assertTrue(summary > 0 && summary < contents && contents < firstRun, "summary, contents, then the runs");
    String table = html.substring(summary, contents);
    for (var r : SampleRuns.all()) {
      assertTrue(table.contains("<a href=\"#run-" + r.id() + "\">"), "a summary row links to " + r.id());
      assertTrue(html.contains("id=\"run-" + r.id() + "\""), "the anchor exists");
    }
    assertTrue(table.contains("<li class=\"FAIL\"><span>djl-pytorch-cpu: </span><span>1 of 1 checks FAIL"), table);
    assertTrue(table.contains("<li class=\"PASS\"><span>ort-cpu: </span><span>test error 14.50 ± 2.48 (n=3) %"),
        "train's headline");
    assertTrue(table.contains("MLP ff-bn: </span><span>correlation falls from 0.6000 at depth 1"), "shattered's");
    assertTrue(table.contains("degradation (ort-cpu): </span><span>the paper&#x27;s shape is reproduced"),
        "degradation's verdict");
    String toc = html.substring(contents, firstRun);
    Matcher anchors = Pattern.compile("href=\"#([^\"]+)\"").matcher(toc);
    int n = 0;
    while (anchors.find()) {
      assertTrue(html.contains("id=\"" + anchors.group(1) + "\""), "contents link #" + anchors.group(1) + " resolves");
      n++;
    }
    assertTrue(n >= 10, "runs and their headings are listed: " + n);
    assertTrue(toc.contains(">Layer responses (Fig. 7)</a>"), toc);
  }

  @Test
  void everyChartHasACsvLinkATitleAndATextAlternative() {
    String html = HtmlReport.render(SampleRuns.all(), HtmlReportTest.FIXED);
    Matcher m = FIGURE.matcher(html);
    int figures = 0;
    while (m.find()) {
      String f = m.group();
      figures++;
      assertTrue(f.contains("<svg role='img' aria-labelledby='"), "svg is an image with a label");
      Matcher title = Pattern.compile("<title id='[^']+'>([^<]+)</title><desc id='[^']+'>([^<]+)</desc>").matcher(f);
      assertTrue(title.find(), "title and desc in " + f.substring(0, 300));
      assertFalse(title.group(2).isBlank(), "a headline");
      assertTrue(f.contains("<figcaption>"), "a visible caption");
      Matcher csv = CSV.matcher(f);
      assertTrue(csv.find(), "a CSV link");
      String data = URLDecoder.decode(csv.group(1).substring("data:text/csv;charset=utf-8,".length()),
          StandardCharsets.UTF_8);
      assertTrue(data.startsWith("series,x,y,lower,upper\n"), data.substring(0, Math.min(60, data.length())));
      String points = f.replaceAll("(?s).*data-points=\"(\\d+)\".*", "$1");
      long rows = data.lines().filter(l -> l.matches(".*,,$")).count();
      assertEquals(Long.parseLong(points), rows, "one CSV row per plotted point");
    }
    assertEquals(html.split("<svg").length - 1, figures, "every chart is such a figure");
    assertTrue(figures > 10, "the sample report has charts: " + figures);
  }

  @Test
  void theDecayChartStatesItsHeadline() {
    String html = HtmlReport.render(SampleRuns.all(), HtmlReportTest.FIXED);
    assertTrue(html.contains("ff-bn correlation falls from 0.6000 at depth 1 to 2.821e-04 at depth 16 (better fit:"
        + " exponential, b = 0.6000)"), "the issue's example sentence, for the sample data");
  }

  @Test
  void everyTableHasHeaderCellsAndLongOnesAreFolded() {
    for (String html : List.of(HtmlReport.render(SampleRuns.all(), HtmlReportTest.FIXED),
        HtmlReport.render(QuickstartSizedRuns.all(), HtmlReportTest.FIXED))) {
      Matcher t = Pattern.compile("<table.*?</table>", Pattern.DOTALL).matcher(html);
      while (t.find()) {
        assertTrue(t.group().contains("<th"), "header cells in " + t.group().substring(0, 120));
      }
      List<String> unfolded = new ArrayList<>();
      int depth = 0;
      Matcher tag = Pattern.compile("<details|</details>|<table.*?</table>", Pattern.DOTALL).matcher(html);
      while (tag.find()) {
        String s = tag.group();
        if (s.equals("<details")) {
          depth++;
        } else if (s.equals("</details>")) {
          depth--;
        } else if (depth == 0) {
          int rows = s.split("<tr").length - 1;
          if (rows > 21) {
            unfolded.add(s.substring(0, 200));
          }
        }
      }
      assertTrue(unfolded.isEmpty(), "long tables outside <details>: " + unfolded);
    }
    String quick = HtmlReport.render(QuickstartSizedRuns.all(), HtmlReportTest.FIXED);
    assertTrue(quick.contains("<summary>265 comparisons (spec, backend, scenario, quantity, seed), all passed;"),
        "parity's 265 rows are folded under their count");
    int chart = quick.indexOf("<figure class=\"chart\"", quick.indexOf("id=\"run-20261204-192457-parity-f714\""));
    assertTrue(chart > 0 && chart < quick.indexOf("265 comparisons"), "the charts come before the detail table");
  }

  @Test
  void aSiteHasAnIndexAndOneSelfContainedPagePerRun(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path index = HtmlReport.writeSite(SampleRuns.all(), HtmlReportTest.FIXED, dir.resolve("site"));
    String html = java.nio.file.Files.readString(index);
    for (var r : SampleRuns.all()) {
      assertTrue(html.contains("<a href=\"" + r.id() + ".html\">"), "the index links " + r.id());
      String page = java.nio.file.Files.readString(dir.resolve("site").resolve(r.id() + ".html"));
      assertTrue(page.contains("<section class=\"run\" id=\"run-" + r.id() + "\">"), "its section");
      assertTrue(page.indexOf("id=\"summary\"") < page.indexOf("<section class=\"run\""), "summary first");
      assertFalse(page.contains("<script") || page.contains("<link"), "self-contained");
    }
    assertTrue(html.indexOf(SampleRuns.all().get(SampleRuns.all().size() - 1).id()) < html.indexOf(
        SampleRuns.all().get(0).id()), "newest first");
    try (var files = java.nio.file.Files.list(dir.resolve("site"))) {
      assertEquals(SampleRuns.all().size() + 1, files.count(), "index and one page per run, nothing else");
    }
    var usage = org.resbench.cli.CliRunner.run("report", "--all", "--results", dir.toString());
    assertEquals(2, usage.code(), usage.err());
    assertTrue(usage.err().contains("exactly one of --out FILE.html and --site DIR"), usage.err());
  }
}
