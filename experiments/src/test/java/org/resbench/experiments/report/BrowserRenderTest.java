package org.resbench.experiments.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.resbench.reports.HtmlReport;
import org.resbench.results.RunRecord;

/**
 * Opens a report in headless Chromium (Debian's {@code chromium}, installed by {@code .ci/run}), takes a
 * screenshot, and checks that the page rendered (a non-blank image) without console errors.
 */
class BrowserRenderTest {

  static Path chromium() {
    String env = System.getenv("CHROMIUM");
    for (String c : new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
      if (c != null && Files.isExecutable(Path.of(c))) {
        return Path.of(c);
      }
    }
    return null;
  }

  @Test
  void reportRendersInHeadlessChromiumWithoutConsoleErrors(@TempDir Path dir) throws Exception {
    rendersWithoutConsoleErrors(dir, SampleRuns.all());
  }

  /** The throughput section alone, so that its tables and charts fill the screenshot. */
  @Test
  void throughputSectionRendersInHeadlessChromium(@TempDir Path dir) throws Exception {
    rendersWithoutConsoleErrors(dir, List.of(SampleRuns.throughput()));
  }

  private static void rendersWithoutConsoleErrors(Path dir, List<RunRecord> runs) throws Exception {
    Path browser = chromium();
    Assumptions.assumeTrue(browser != null,
        "Chromium not found (install Debian's 'chromium' as .ci/run does, or set CHROMIUM); skipping the browser test");
    Path report = HtmlReport.write(runs, HtmlReportTest.FIXED, dir.resolve("report.html"));
    Path png = dir.resolve("shot.png");
    screenshot(browser, report, png, 2400, dir);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(1280, img.getWidth());
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < img.getHeight(); y += 7) {
      for (int x = 0; x < img.getWidth(); x += 7) {
        colours.add(img.getRGB(x, y));
      }
    }
    // A blank or error page has a handful of colours; the report has text, tables and coloured charts.
    assertTrue(colours.size() > 50, "screenshot looks blank: " + colours.size() + " colours");
  }

  /**
   * Opens {@code report} in headless Chromium at 1280 x {@code height} and writes its screenshot to {@code png};
   * asserts that Chromium finished in 120 s with exit 0, printed no console message or uncaught error, and wrote the
   * screenshot.
   */
  private static void screenshot(Path browser, Path report, Path png, int height, Path dir) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + dir.resolve("profile"), "--enable-logging=stderr",
        "--v=0", "--window-size=1280," + height, "--screenshot=" + png, report.toUri().toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] log = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium did not finish in 120 s");
    String output = new String(log, StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    for (String line : output.split("\n")) {
      assertTrue(!line.contains(":CONSOLE(") && !line.contains("Uncaught"), "console message: " + line);
    }
    assertTrue(Files.isRegularFile(png), "no screenshot; chromium said:\n" + output);
  }

  /** The summary table's header background ({@code table.summary th} in the page's CSS), found in screenshots. */
  static final int SUMMARY_HEADER = 0xdbe7f3;

  @Test
  void theSummaryTableIsVisibleInTheFirstScreen(@TempDir Path dir) throws Exception {
    Path browser = chromium();
    Assumptions.assumeTrue(browser != null,
        "Chromium not found (install Debian's 'chromium' as .ci/run does, or set CHROMIUM); skipping the browser test");
    Path report = HtmlReport.write(QuickstartSizedRuns.all(), HtmlReportTest.FIXED, dir.resolve("quickstart.html"));
    Path png = dir.resolve("first-screen.png");
    screenshot(browser, report, png, 800, dir);
    BufferedImage img = ImageIO.read(png.toFile());
    assertEquals(800, img.getHeight(), "one screen");
    int header = 0;
    int lowest = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        if ((img.getRGB(x, y) & 0xffffff) == SUMMARY_HEADER) {
          header++;
          lowest = Math.max(lowest, y);
        }
      }
    }
    // The header row spans most of the page's width and ~20 px: thousands of pixels, near the top.
    assertTrue(header > 5000, "the summary table's header row is not in the first 1280x800 screen (" + header
        + " pixels of its colour)");
    assertTrue(lowest < 400, "the summary table starts in the upper half of the first screen (lowest header pixel at y="
        + lowest + ")");
  }
}
