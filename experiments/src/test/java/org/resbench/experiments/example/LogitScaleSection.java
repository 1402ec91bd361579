package org.resbench.experiments.example;

import static j2html.TagCreator.each;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import org.resbench.reports.Fmt;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;

/** The worked example's report section: one table. Stateless. */
final class LogitScaleSection implements ReportSection<LogitScaleData> {
  @Override
  public DomContent render(RunRecord run, LogitScaleData data, ReportContext context) {
    return table(thead(tr(th("spec").withClass("l"), th("backend").withClass("l"), th("logit sd"))),
        tbody(each(data.rows(), r -> tr(td(r.spec()).withClass("l"), td(r.backend()).withClass("l"),
            td(Fmt.num(r.sd()))))));
  }
}
