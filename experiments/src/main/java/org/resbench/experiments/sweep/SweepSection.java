package org.resbench.experiments.sweep;

import static j2html.TagCreator.a;
import static j2html.TagCreator.div;
import static j2html.TagCreator.each;
import static j2html.TagCreator.p;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.List;
import org.resbench.reports.Fmt;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;

/** A merged sweep's section: one row per cell with its grid values, status, shard and host, linked to its run. */
final class SweepSection implements ReportSection<SweepData> {

  /** The summary table's cell: how many of the sweep's cells passed, and which are missing (a failed verdict). */
  @Override
  public List<org.resbench.reports.Headline> headlines(RunRecord run, SweepData d) {
    long passed = d.cells().stream().filter(e -> e.status().equals("PASSED")).count();
    return List.of(org.resbench.reports.Headline.verdict(d.experiment() + " sweep " + d.sweep(), passed + " of "
        + d.cellCount() + " cells passed" + (d.missing().isEmpty() ? "" : ", " + d.missing().size() + " missing"),
        passed == d.cellCount()));
  }

  @Override
  public DomContent render(RunRecord run, SweepData d, ReportContext context) {
    List<DomContent> head = new ArrayList<>();
    head.add(th("#"));
    head.add(th("cell").withClass("l"));
    d.gridKeys().forEach(k -> head.add(th(k).withClass("l")));
    head.add(th("status").withClass("l"));
    head.add(th("shard").withClass("l"));
    head.add(th("where").withClass("l"));
    head.add(th("seconds"));
    List<DomContent> rows = new ArrayList<>();
    for (SweepData.Entry e : d.cells()) {
      List<DomContent> cells = new ArrayList<>();
      cells.add(td(String.valueOf(e.index())));
      cells.add(td(a(e.cell()).withHref("#run-" + e.runId())).withClass("l"));
      d.gridKeys().forEach(k -> cells.add(td(e.point().containsKey(k) ? SweepPlan.compact(e.point().get(k))
          .replace("\"", "") : "").withClass("l")));
      cells.add(td(e.status()).withClass("l status " + e.status()));
      cells.add(td(e.shard()).withClass("l"));
      cells.add(td(e.where()).withClass("l"));
      cells.add(td(Fmt.fixed(e.seconds(), 1)));
      rows.add(tr(cells.toArray(new DomContent[0])));
    }
    return div(
        p("Sweep " + d.sweep() + " (plan " + d.sweepHash() + "): " + d.experiment() + " over " + d.cellCount()
            + " cells, merged from " + d.shards().size() + " shard folder" + (d.shards().size() == 1 ? "" : "s")
            + (d.missing().isEmpty() ? "." : "; " + d.missing().size() + " cells missing (positions " + d.missing()
            + ").") + " Each cell's own run follows; its id links to it."),
        table(thead(tr(head.toArray(new DomContent[0]))), tbody(rows.toArray(new DomContent[0]))),
        p(each(d.shards(), s -> div("shard folder: " + s))));
  }
}
