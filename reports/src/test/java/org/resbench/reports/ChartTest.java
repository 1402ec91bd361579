package org.resbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChartTest {

  @Test
  void rendersAnSvgWithTitleLegendAndUniqueIds() {
    Chart c = new Chart("Loss", "step", "loss", false, false,
        List.of(Chart.Series.line("reference", new double[] {3, 2, 1}), Chart.Series.line("ort-cpu", new double[] {3,
            2.1, 1})));
    String a = SvgCharts.render(c, 400, 300, "c0");
    String b = SvgCharts.render(c, 400, 300, "c1");
    assertTrue(a.startsWith("<svg"), a.substring(0, 40));
    assertTrue(a.contains(">step<") && a.contains("reference") && a.contains("ort-cpu"));
    assertTrue(a.contains("id='c0-svg'"));
    assertTrue(!a.contains("c1clip") && b.contains("c1-svg"));
    assertEquals(6, c.pointCount());
  }

  @Test
  void logAxesDropNonPositiveValuesInsteadOfFailing() {
    Chart c = new Chart("decay", "depth", "corr", true, true,
        List.of(new Chart.Series("ff", new double[] {1, 2, 4}, new double[] {0.5, 0, -0.1}, Chart.Style.POINTS)));
    assertTrue(SvgCharts.render(c, 400, 300, "x").contains(">depth<"));
  }

  @Test
  void logAxesOverManyDecadesLabelTicksWithExponents() {
    double[] y = new double[28];
    for (int k = 0; k < y.length; k++) {
      y[k] = 0.01 * Math.pow(0.32, k); // down to about 1e-15, as a ResNet-56's path gradients fall
    }
    String wide = SvgCharts.render(new Chart("g", "k", "norm", false, true, List.of(Chart.Series.line("g", y))), 400,
        300, "w");
    assertTrue(!wide.contains(">0.000000") && wide.contains(">1e-12<"), "exponent labels, not a dozen decimals");
    String narrow = SvgCharts.render(new Chart("g", "k", "norm", false, true, List.of(Chart.Series.line("g",
        new double[] {0.01, 0.1, 1, 10}))), 400, 300, "n");
    assertTrue(narrow.contains(">0.01<") && !narrow.contains(">1e-"), "plain decimals over a few decades");
  }

  @Test
  void wholeNumberXValuesGetWholeNumberTicks() {
    double[] blocks = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    String svg = SvgCharts.render(new Chart("lesions", "deleted block", "error %", false, false, List.of(
        new Chart.Series("resnet", blocks, new double[] {9, 8, 7, 6, 5, 4, 3, 2, 1}, Chart.Style.LINE))), 400, 300,
        "i");
    assertTrue(svg.contains(">4<") && !svg.contains(">0.5<") && !svg.contains(">2.5<"), "integer ticks only");
    assertTrue(!SvgCharts.integralX(new Chart("c", "x", "y", false, false, List.of(new Chart.Series("s",
        new double[] {0, 0.5}, new double[] {1, 2}, Chart.Style.LINE)))));
  }

  @Test
  void mismatchedSeriesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Chart.Series.line("s", new double[2], new double[3]));
  }
}
