package org.resbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Charts' data, text alternatives and greyscale styles; the report's folding and anchors. */
class ChartDataTest {
  static Chart chart() {
    return new Chart("depth, \"decay\"", "depth", "correlation", false, false,
        List.of(new Chart.Series("ff", new double[] {1, 2, 50}, new double[] {0.93, 0.5, 0.001}, Chart.Style.LINE),
            new Chart.Series("res, bn", new double[] {1, 50}, new double[] {0.9, Double.NaN}, Chart.Style.POINTS)),
        List.of(new Chart.Band("ff 95%", new double[] {1, 2}, new double[] {0.9, 0.4}, new double[] {0.95, 0.6}, 0)));
  }

  @Test
  void csvIsLongFormWithEveryPointAndBand() {
    assertEquals("series,x,y,lower,upper\n"
        + "ff,1,0.93,,\nff,2,0.5,,\nff,50,0.001,,\n"
        + "\"res, bn\",1,0.9,,\n\"res, bn\",50,nan,,\n"
        + "ff 95%,1,,0.9,0.95\nff 95%,2,,0.4,0.6\n", ChartData.csv(chart()));
  }

  @Test
  void numbersAreShortAndExactToFloat32() {
    assertEquals("0.1", ChartData.number(0.1));
    assertEquals("3", ChartData.number(3.0));
    assertEquals("-inf", ChartData.number(Double.NEGATIVE_INFINITY));
    assertEquals("1.0E-8", ChartData.number(1e-8));
    assertEquals(0.1f, Float.parseFloat(ChartData.number(0.1)));
    assertEquals("0.1", ChartData.exact(0.1));
    assertEquals("0.30000000000000004", ChartData.exact(0.1 + 0.2), "a double that is no float32 stays exact");
    assertEquals("1.0E300", ChartData.number(1e300), "beyond float32's range: the double");
  }

  @Test
  void theDataUriDecodesToTheCsv() {
    String csv = ChartData.csv(chart());
    String uri = ChartData.dataUri(csv);
    assertTrue(uri.startsWith("data:text/csv;charset=utf-8,series,x,y"));
    assertFalse(uri.contains("\n") || uri.contains("\"") || uri.contains(" "), "nothing that breaks an attribute");
    assertEquals(csv, URLDecoder.decode(uri.substring("data:text/csv;charset=utf-8,".length()),
        StandardCharsets.UTF_8));
    assertEquals("depth-decay.csv", ChartData.fileName(chart().title(), 60));
  }

  @Test
  void theHeadlineIsTheDescriptionOrDerivedFromTheSeries() {
    assertEquals("correlation. ff: falls from 0.9300 at depth 1 to 0.001000 at 50; res, bn: one value, 0.9000 at"
        + " depth 1.", chart().headline());
    assertEquals("It falls.", chart().withDescription("It falls.").headline());
    assertEquals("No data.", new Chart("t", "x", "y", false, false, List.of()).headline());
  }

  @Test
  void chartsAreImagesWithATextAlternativeAndSharedStyles() {
    Map<String, String> classes = new java.util.LinkedHashMap<>();
    String svg = SvgCharts.accessible(SvgCharts.compact(SvgCharts.render(chart(), 560, 360, "c7"), "c7", 560, 360,
        classes), "c7", "A <title>", "falls & rises");
    assertTrue(svg.startsWith("<svg role='img' aria-labelledby='c7-title c7-desc' id='c7-svg'"), svg.substring(0, 80));
    assertTrue(svg.contains("<title id='c7-title'>A &lt;title&gt;</title><desc id='c7-desc'>falls &amp; rises</desc>"));
    assertFalse(svg.contains(" style='"), "inline styles became classes");
    assertFalse(svg.contains("url(#c7clip-0)"), "no clipping to the whole canvas");
    assertTrue(!classes.isEmpty() && SvgCharts.css(classes).contains("svg .j0{"));
  }

  @Test
  void seriesDifferInGreyscale() {
    Set<String> strokes = new HashSet<>();
    Set<String> markers = new HashSet<>();
    for (int c = 0; c < 4; c++) {
      java.awt.BasicStroke s = SvgCharts.stroke(Chart.Style.LINE, c);
      strokes.add(java.util.Arrays.toString(s.getDashArray()));
      markers.add(SvgCharts.marker(c).getBounds2D().toString() + SvgCharts.marker(c).getClass());
    }
    assertEquals(4, strokes.size(), "four solid-style series, four dash patterns");
    assertEquals(4, markers.size(), "four marker shapes");
    assertNotEquals(java.util.Arrays.toString(SvgCharts.stroke(Chart.Style.DASHED, 0).getDashArray()), "null",
        "a dashed series stays dashed");
  }

  @Test
  void longTablesAreFoldedAndHeadingsAnchored() {
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < 25; i++) {
      rows.append("<tr><td>").append(i).append("</td></tr>");
    }
    String longTable = "<table><thead><tr><th>n</th></tr></thead><tbody>" + rows + "</tbody></table>";
    String shortTable = "<table><thead><tr><th>n</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>";
    String html = "<div><h3>Fits &amp; more</h3>" + shortTable + longTable + "<details><summary>s</summary>"
        + longTable + "</details><h3>Fits &amp; more</h3></div>";
    SectionHtml.Result r = SectionHtml.process(html, "run-x");
    assertEquals(List.of(new SectionHtml.Heading("run-x-fits-more", "Fits &amp; more"),
        new SectionHtml.Heading("run-x-fits-more-2", "Fits &amp; more")), r.headings());
    assertTrue(r.html().contains("<h3 id=\"run-x-fits-more\">"));
    assertEquals(1, r.html().split("Table of 25 rows").length - 1, "the long table outside <details> is folded once");
    assertTrue(r.html().contains(shortTable + "<details class=\"folded\">"), "the short one stays open");
  }
}
