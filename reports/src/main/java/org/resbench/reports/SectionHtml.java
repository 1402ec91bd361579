package org.resbench.reports;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the report does to every section's rendered HTML, so each section gets it without doing anything: its
 * {@code <h3>} headings get anchors (collected for the table of contents), and tables longer than
 * {@link #FOLD_ROWS} rows that are not already inside a {@code <details>} are folded under a summary line, so the
 * charts and the short tables stay in view. Works on the markup j2html writes (tags in lower case, attributes
 * quoted); stateless.
 */
final class SectionHtml {
  private SectionHtml() {}

  /** Tables with more body rows than this are folded. */
  static final int FOLD_ROWS = 20;

  private static final Pattern H3 = Pattern.compile("<h3([^>]*)>(.*?)</h3>", Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("<[^>]+>");

  /** A heading of a section: its anchor and its text as HTML. */
  record Heading(String id, String html) {}

  /** The section's HTML with anchored headings and folded long tables, and its headings in order. */
  record Result(String html, List<Heading> headings) {}

  static Result process(String html, String idPrefix) {
    List<Heading> headings = new ArrayList<>();
    Set<String> used = new HashSet<>();
    Matcher m = H3.matcher(html);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String attrs = m.group(1);
      String inner = m.group(2);
      Matcher existing = Pattern.compile("\\bid=\"([^\"]*)\"").matcher(attrs);
      String id;
      if (existing.find()) {
        id = existing.group(1);
      } else {
        String base = idPrefix + "-" + slug(TAG.matcher(inner).replaceAll(""));
        id = base;
        for (int k = 2; used.contains(id); k++) {
          id = base + "-" + k;
        }
        attrs = attrs + " id=\"" + id + "\"";
      }
      used.add(id);
      headings.add(new Heading(id, TAG.matcher(inner).replaceAll("")));
      m.appendReplacement(sb, Matcher.quoteReplacement("<h3" + attrs + ">" + inner + "</h3>"));
    }
    m.appendTail(sb);
    return new Result(foldLongTables(sb.toString()), headings);
  }

  /** Wraps every table with more than {@link #FOLD_ROWS} body rows outside any {@code <details>} in one. */
  static String foldLongTables(String html) {
    StringBuilder out = new StringBuilder(html.length() + 256);
    int depth = 0;
    int i = 0;
    while (i < html.length()) {
      int lt = html.indexOf('<', i);
      if (lt < 0) {
        out.append(html, i, html.length());
        break;
      }
      out.append(html, i, lt);
      if (startsWith(html, lt, "<details")) {
        depth++;
      } else if (startsWith(html, lt, "</details>")) {
        depth = Math.max(0, depth - 1);
      } else if (depth == 0 && startsWith(html, lt, "<table")) {
        int end = html.indexOf("</table>", lt);
        if (end > 0) {
          end += "</table>".length();
          String table = html.substring(lt, end);
          int rows = bodyRows(table);
          if (rows > FOLD_ROWS) {
            out.append("<details class=\"folded\"><summary>Table of ").append(rows)
                .append(" rows (folded; open to show)</summary>").append(table).append("</details>");
          } else {
            out.append(table);
          }
          i = end;
          continue;
        }
      }
      int gt = html.indexOf('>', lt);
      int next = gt < 0 ? html.length() : gt + 1;
      out.append(html, lt, next);
      i = next;
    }
    return out.toString();
  }

  private static int bodyRows(String table) {
    int body = table.indexOf("<tbody");
    String rows = body >= 0 ? table.substring(body) : table;
    int n = 0;
    for (int k = rows.indexOf("<tr"); k >= 0; k = rows.indexOf("<tr", k + 3)) {
      n++;
    }
    return body >= 0 ? n : Math.max(0, n - 1);
  }

  private static boolean startsWith(String s, int at, String prefix) {
    return s.regionMatches(true, at, prefix, 0, prefix.length());
  }

  /** Lower-case letters and digits, other runs as one hyphen, at most 48 characters. */
  static String slug(String text) {
    String s = text.toLowerCase(Locale.ROOT).replaceAll("&[a-z]+;", " ").replaceAll("[^a-z0-9]+", "-")
        .replaceAll("^-|-$", "");
    if (s.length() > 48) {
      s = s.substring(0, 48).replaceAll("-$", "");
    }
    return s.isEmpty() ? "part" : s;
  }
}
