package org.resbench.reports;

import static j2html.TagCreator.a;
import static j2html.TagCreator.body;
import static j2html.TagCreator.code;
import static j2html.TagCreator.details;
import static j2html.TagCreator.div;
import static j2html.TagCreator.document;
import static j2html.TagCreator.each;
import static j2html.TagCreator.h1;
import static j2html.TagCreator.h2;
import static j2html.TagCreator.head;
import static j2html.TagCreator.header;
import static j2html.TagCreator.html;
import static j2html.TagCreator.li;
import static j2html.TagCreator.main;
import static j2html.TagCreator.meta;
import static j2html.TagCreator.nav;
import static j2html.TagCreator.ol;
import static j2html.TagCreator.p;
import static j2html.TagCreator.pre;
import static j2html.TagCreator.rawHtml;
import static j2html.TagCreator.section;
import static j2html.TagCreator.span;
import static j2html.TagCreator.style;
import static j2html.TagCreator.summary;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.title;
import static j2html.TagCreator.tr;
import static j2html.TagCreator.ul;

import j2html.tags.DomContent;
import j2html.tags.specialized.TableTag;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.resbench.harness.io.AtomicFiles;
import org.resbench.results.ExperimentData;
import org.resbench.results.JsonCodec;
import org.resbench.results.Provenance;
import org.resbench.results.ResultTypes;
import org.resbench.results.RunRecord;
import org.resbench.results.UnknownData;

/**
 * Renders run records as one self-contained HTML page: inline CSS and SVG, no scripts, fonts or network. The page
 * opens with a summary (one row per run, with the headline numbers its section contributes through
 * {@link ReportSection#headlines}) and a table of contents; every section's headings get anchors and its long tables
 * are folded ({@link SectionHtml}), and every chart carries its data as a CSV link ({@link ReportContext#figure}).
 * Each run's body comes from the {@link ReportedResultType} plug-in registered for its data type; a record of a
 * type this build does not know gets a generic section (a notice, provenance, the stored JSON). Stateless and
 * thread-safe; each call renders independently.
 */
public final class HtmlReport {
  private HtmlReport() {}

  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe "
          + "UI',Roboto,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}",
      "header{background:#1f3b57;color:#fff;padding:16px 32px}header h1{margin:0 0 4px;font-size:22px}",
      "header p{margin:0;opacity:.85;font-size:13px}main{max-width:1200px;margin:0 auto;padding:16px 32px}",
      "section.run{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 24px 16px;margin:20px 0}",
      "h2{font-size:19px;border-bottom:1px solid #eee;padding-bottom:6px}h3{font-size:16px;margin-top:22px}",
      "table{border-collapse:collapse;font-size:13px;margin:8px 0}th,td{border:1px solid #ddd;padding:3px 8px;"
          + "text-align:right}th{background:#f0f3f6}td.l,th.l{text-align:left}",
      ".pass{background:#e6f4ea}.fail{background:#fce8e6;font-weight:600}.status{font-weight:600}",
      ".PASSED{color:#1e7d32}.FAILED{color:#c5221f}.INCOMPLETE{color:#b06000}",
      ".charts{display:flex;flex-wrap:wrap;gap:12px}figure.chart{margin:0;background:#fff}",
      "figure.chart figcaption{font-size:12px;color:#555;max-width:560px}",
      ".note{background:#fff8e1;border-left:4px solid #f9a825;padding:6px 10px;margin:8px 0;font-size:13px}",
      "details{font-size:13px;margin:6px 0}code{font-size:12px}pre{background:#f6f8fa;padding:6px;overflow-x:auto}"
          + "nav table{width:100%}",
      "section.summary{background:#fff;border:1px solid #ddd;border-radius:6px;padding:8px 24px 12px;margin:20px 0}",
      "table.summary{width:100%}table.summary th{background:#dbe7f3}table.summary "
          + "td{vertical-align:top}table.summary ul{margin:0;padding-left:16px}",
      "li.PASS{color:#1e7d32}li.FAIL{color:#c5221f;font-weight:600}",
      "nav.toc ol{margin:4px 0;padding-left:22px;font-size:13px}nav.toc>ol>li{margin:4px 0}",
      "figcaption .desc{color:#333}figcaption a.csv{white-space:nowrap}details.folded>summary{color:#1f3b57}");

  /**
   * The whole page for {@code runs}, in the given order: the summary (one row per run: experiment, status,
   * backends, the section's headline numbers and verdicts, time taken), the table of contents (each run and the
   * headings of its section), then each run's section.
   */
  public static String render(List<RunRecord> runs, ReportOptions options) {
    ReportContext context = new ReportContext();
    List<RenderedRun> rendered = runs.stream().map(r -> renderRun(r, context)).toList();
    DomContent page = html(
        head(meta().withCharset("utf-8"), meta().withName("viewport")
            .withContent("width=device-width, initial-scale=1"),
            title(options.title()), style(rawHtml(CSS + "\n" + context.chartCss()))),
        body(
            header(h1(options.title()), p("Generated " + options.generatedAt() + " from " + runs.size() + " run"
                + (runs.size() == 1 ? "" : "s") + ". Self-contained: no scripts, fonts or network; every chart's"
                + " data downloads as CSV from its caption.")),
            main(
                section(h2("Summary"), summaryTable(rendered, id -> "#run-" + id)).withClass("summary")
                    .withId("summary"),
                nav(h2("Contents"), contentsList(rendered)).withClass("toc").withId("contents"),
                each(rendered, RenderedRun::html)))).withLang("en");
    return document().render() + "\n" + page.render() + "\n";
  }

  /** One run as the page shows it: its section, its headings and its headline numbers. */
  private record RenderedRun(RunRecord run, DomContent html, List<SectionHtml.Heading> headings,
      List<Headline> headlines) {}

  private static RenderedRun renderRun(RunRecord r, ReportContext context) {
    SectionHtml.Result body = SectionHtml.process(sectionBody(r, context).render(), "run-" + r.id());
    DomContent html = section(
        h2(span(r.experiment() + " "), span(r.status().name()).withClass("status " + r.status().name()),
            span(" - " + r.id())),
        each(r.messages(), m -> div(m).withClass("note")),
        provenance(r.provenance()),
        rawHtml(body.html())).withClass("run").withId("run-" + r.id());
    return new RenderedRun(r, html, body.headings(), headlines(r));
  }

  /** The summary: one row per run. */
  private static TableTag summaryTable(List<RenderedRun> runs, java.util.function.Function<String, String> link) {
    return table(thead(tr(th("Run").withClass("l"), th("Experiment").withClass("l"), th("Status").withClass("l"),
        th("Backends").withClass("l"), th("Headline numbers and verdicts").withClass("l"), th("Took"),
        th("Started").withClass("l"))),
        tbody(each(runs, rr -> {
          RunRecord r = rr.run();
          return tr(td(a(r.id()).withHref(link.apply(r.id()))).withClass("l"),
              td(r.experiment() + " (" + r.profile() + ")").withClass("l"),
              td(r.status().name()).withClass("l status " + r.status().name()),
              td(r.provenance().backends().stream().map(b -> b.name()).collect(Collectors.joining(", ")))
                  .withClass("l"),
              td(rr.headlines().isEmpty() ? span("-") : ul(each(rr.headlines(), h -> li(span(h.label() + ": "),
                  span(h.value())).withClass(h.verdict().name())))).withClass("l"),
              td(took(r.provenance().start(), r.provenance().end())),
              td(toSeconds(r.provenance().start())).withClass("l"));
        }))).withClass("summary");
  }

  /** The table of contents: each run, and the headings of its section. */
  private static DomContent contentsList(List<RenderedRun> runs) {
    return ol(each(runs, rr -> li(a(rr.run().experiment() + " - " + rr.run().id()).withHref("#run-" + rr.run().id()),
        rr.headings().isEmpty() ? span() : ol(each(rr.headings(), h -> li(a(rawHtml(h.html()))
            .withHref("#" + h.id())))))));
  }

  /** The section's headlines; a failure to compute them is shown, never fatal to the report. */
  private static List<Headline> headlines(RunRecord r) {
    ExperimentData data = r.data();
    if (data == null || data instanceof UnknownData) {
      return List.of();
    }
    ReportedResultType<?> type = ResultTypes.installed().byDataClass(data.getClass())
        .filter(ReportedResultType.class::isInstance).map(ReportedResultType.class::cast).orElse(null);
    if (type == null) {
      return List.of();
    }
    try {
      return headlinesWith(type, r, data);
    } catch (RuntimeException e) {
      return List.of(Headline.info("summary", "not available (" + e.getMessage() + ")"));
    }
  }

  private static <D extends ExperimentData> List<Headline> headlinesWith(ReportedResultType<D> type, RunRecord r,
      ExperimentData data) {
    return type.section().headlines(r, type.dataClass().cast(data));
  }

  /** An ISO-8601 instant to the second ("2026-12-04T19:24:57Z"), or the text as it is when it is not one. */
  static String toSeconds(String instant) {
    try {
      return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (RuntimeException e) {
      return instant == null ? "-" : instant;
    }
  }

  /** The time from {@code start} to {@code end} (ISO-8601 instants) as "3 min 28 s", or "-" when unknown. */
  static String took(String start, String end) {
    try {
      long s = java.time.Duration.between(java.time.Instant.parse(start), java.time.Instant.parse(end)).toSeconds();
      if (s < 0) {
        return "-";
      }
      if (s < 60) {
        return s + " s";
      }
      if (s < 3600) {
        return s / 60 + " min " + s % 60 + " s";
      }
      return s / 3600 + " h " + (s % 3600) / 60 + " min";
    } catch (RuntimeException e) {
      return "-";
    }
  }

  /**
   * A site for many runs (a nightly history): {@code index.html} with the summary of every run, newest first, each
   * linking to {@code RUN.html}, one self-contained page per run (its own summary, contents and section). Every page
   * is written atomically; returns the index.
   */
  public static Path writeSite(List<RunRecord> runs, ReportOptions options, Path dir) {
    List<RunRecord> newestFirst = new java.util.ArrayList<>(runs);
    java.util.Collections.reverse(newestFirst);
    for (RunRecord r : runs) {
      AtomicFiles.writeString(dir.resolve(pageName(r.id())), render(List.of(r), new ReportOptions(options.title()
          + ": " + r.experiment() + " " + r.id(), options.generatedAt())));
    }
    return AtomicFiles.writeString(dir.resolve("index.html"), renderIndex(newestFirst, options));
  }

  /** The file name of a run's page in a site. */
  static String pageName(String runId) {
    return runId.replaceAll("[^A-Za-z0-9._-]", "_") + ".html";
  }

  /** A site's index: the summary of every run, linking to each run's page. */
  static String renderIndex(List<RunRecord> runs, ReportOptions options) {
    List<RenderedRun> rows = runs.stream().map(r -> new RenderedRun(r, span(), List.of(), headlines(r))).toList();
    DomContent page = html(
        head(meta().withCharset("utf-8"), meta().withName("viewport")
            .withContent("width=device-width, initial-scale=1"),
            title(options.title()), style(rawHtml(CSS))),
        body(
            header(h1(options.title()), p("Generated " + options.generatedAt() + ": " + runs.size() + " run"
                + (runs.size() == 1 ? "" : "s") + ", newest first; each links to its own self-contained page.")),
            main(section(h2("Runs"), summaryTable(rows, HtmlReport::pageName)).withClass("summary")
                .withId("summary")))).withLang("en");
    return document().render() + "\n" + page.render() + "\n";
  }

  /** Renders and writes atomically (temporary file, then rename): a failed write never leaves a partial report. */
  public static Path write(List<RunRecord> runs, ReportOptions options, Path out) {
    return AtomicFiles.writeString(out, render(runs, options));
  }

  private static String shortCommit(String c) {
    return c == null ? "unknown" : c.length() > 12 && !c.equals("unknown") ? c.substring(0, 12) + (c.endsWith("-dirty")
        ? "-dirty" : "") : c;
  }

  /** The registered section's rendering, or the generic one when no plug-in of this build renders the data. */
  private static DomContent sectionBody(RunRecord r, ReportContext context) {
    ExperimentData data = r.data();
    if (data == null) {
      return p("This run recorded no data.");
    }
    if (!(data instanceof UnknownData)) {
      ReportedResultType<?> type = ResultTypes.installed().byDataClass(data.getClass())
          .filter(ReportedResultType.class::isInstance).map(ReportedResultType.class::cast).orElse(null);
      if (type != null) {
        return renderWith(type, r, data, context);
      }
    }
    return generic(r, data);
  }

  private static <D extends ExperimentData> DomContent renderWith(ReportedResultType<D> type, RunRecord r,
      ExperimentData data, ReportContext context) {
    return type.section().render(r, type.dataClass().cast(data), context);
  }

  /** The most of a record's JSON the generic section shows. */
  static final int GENERIC_JSON_LIMIT = 64 * 1024;

  private static DomContent generic(RunRecord r, ExperimentData data) {
    String type = data instanceof UnknownData u ? u.type() : r.experiment();
    String json = data instanceof UnknownData u ? JsonCodec.write(u.json()) : JsonCodec.write(data);
    boolean cut = json.length() > GENERIC_JSON_LIMIT;
    return div(
        div("This build of resbench does not know the experiment '" + type + "' (the record was written by resbench "
            + r.provenance().resbenchVersion() + "), so its results are shown as stored, without charts. A build "
            + "with that experiment renders them in full.").withClass("note"),
        details(summary("Stored data (JSON" + (cut ? ", first " + GENERIC_JSON_LIMIT / 1024 + " KiB of "
            + json.length() / 1024 + " KiB" : "") + ")"),
            pre(code(cut ? json.substring(0, GENERIC_JSON_LIMIT) + "\n..." : json))));
  }

  private static DomContent provenance(Provenance p) {
    return details(summary("Provenance: config " + p.configHash() + ", resbench " + p.resbenchVersion() + ", commit "
            + shortCommit(p.gitCommit())),
        table(tbody(
            row("started / ended", p.start() + " / " + p.end()),
            row("backends", p.backends().stream().map(b -> b.name() + " (" + b.engine() + " " + b.engineVersion() + ", "
                + b.device() + ")").collect(Collectors.joining("; "))),
            row("threads", p.threads() == 0 ? "engine default" : String.valueOf(p.threads())),
            row("seeds", new java.util.TreeMap<>(p.seeds()).toString()),
            each(new java.util.TreeMap<>(p.environment()).entrySet().stream().toList(), (Map.Entry<String, String> e)
                -> row(e.getKey(),
                e.getValue())),
            row("git commit", p.gitCommit()))),
        p("Resolved configuration:"), pre(code(JsonCodec.write(p.config()))));
  }

  private static DomContent row(String k, String v) {
    return tr(th(k).withClass("l"), td(v).withClass("l"));
  }

  /** A bulleted list, for section notes. */
  public static DomContent bullets(List<String> items) {
    return ul(each(items, i -> li(i)));
  }
}
