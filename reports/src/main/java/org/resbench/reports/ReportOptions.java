package org.resbench.reports;

/**
 * How a report is rendered. Immutable.
 *
 * @param title the page title
 * @param generatedAt the text shown as the generation time (fixed in golden tests)
 */
public record ReportOptions(String title, String generatedAt) {
  public static ReportOptions now(String title) {
    return new ReportOptions(title, java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        .toString());
  }
}
