package org.resbench.experiments.parity;

import static j2html.TagCreator.details;
import static j2html.TagCreator.div;
import static j2html.TagCreator.each;
import static j2html.TagCreator.h3;
import static j2html.TagCreator.p;
import static j2html.TagCreator.summary;
import static j2html.TagCreator.table;
import static j2html.TagCreator.tbody;
import static j2html.TagCreator.td;
import static j2html.TagCreator.th;
import static j2html.TagCreator.thead;
import static j2html.TagCreator.tr;

import j2html.tags.DomContent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.reports.Headline;
import org.resbench.reports.HtmlReport;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;

/** The parity experiment's section: a backend x quantity verdict table, the details, loss trajectories. */
final class ParitySection implements ReportSection<ParityData> {

  @Override
  public DomContent render(RunRecord run, ParityData d, ReportContext charts) {
    Set<String> quantities = new LinkedHashSet<>();
    d.checks().forEach(c -> quantities.add(c.quantity()));
    List<DomContent> parts = new ArrayList<>();
    parts.add(p("Every backend ran the same specs with the same weights, batches and gates as the " + d.reference()
        + " backend (float64 inside). A cell shows the worst error / bound ratio of a quantity over every scenario"
        + " and element (pass: at most 1; the bound of each quantity, with its reason, is in the harness's"
        + " Tolerances; with several seeds, the worst over them: a check must pass for every seed). "
        + (d.allPassed() ? "All checks passed." : "Some checks FAILED.")));
    for (String spec : d.specs()) {
      parts.add(h3(spec));
      parts.add(verdictTable(d, spec, List.copyOf(quantities)));
      List<Chart.Series> series = new ArrayList<>();
      for (ParityData.Trajectory t : d.trajectories()) {
        if (t.spec().equals(spec)) {
          series.add(new Chart.Series(t.backend(), steps(t.losses().length), t.losses(),
              t.backend().equals(d.reference()) ? Chart.Style.LINE : Chart.Style.DASHED));
        }
      }
      if (!series.isEmpty()) {
        parts.add(div(charts.figure(new Chart(spec + ": loss at each of " + d.trainSteps() + " training steps"
            + " from identical weights, seeded random batches and labels, and gates (a parity trajectory, not a"
            + " learning curve: the lines overlap when backends agree)", "step", "mean cross-entropy", false, false,
            series))).withClass("charts"));
      }
    }
    parts.add(h3("All comparisons"));
    long failed = d.checks().stream().filter(c -> !c.passed()).count();
    parts.add(details(summary(d.checks().size() + " comparisons (spec, backend, scenario, quantity, seed), "
        + (failed == 0 ? "all passed" : failed + " FAILED") + "; open for each one's worst element and bound"),
        table(thead(tr(th("spec").withClass("l"), th("backend").withClass("l"), th("scenario").withClass("l"),
        th("quantity").withClass("l"), th("seed"), th("worst element").withClass("l"), th("max abs err"),
        th("max rel err"),
        th("error / bound"), th("bound").withClass("l"), th("verdict"))),
        tbody(each(d.checks(), c -> tr(td(c.spec()).withClass("l"), td(c.backend()).withClass("l"),
            td(c.scenario()).withClass("l"), td(c.quantity()).withClass("l"), td(String.valueOf(c.seed())),
            td(c.worstTensor() + " " + c.worstPosition()).withClass("l"), td(Fmt.num(c.maxAbsError())),
            td(Fmt.num(c.maxRelError())), td(Fmt.num(c.worstRatio())), td(c.tolerance()).withClass("l"),
            td(c.passed() ? "pass" : "FAIL").withClass(c.passed() ? "pass" : "fail")))))).withClass("folded"));
    if (!d.skipped().isEmpty()) {
      parts.add(h3("Not compared"));
      parts.add(HtmlReport.bullets(d.skipped().stream().map(s -> s.spec() + " / " + s.backend() + " / " + s.scenario()
          + ": " + s.reason()).toList()));
    }
    return div(parts.toArray(new DomContent[0]));
  }

  /** Per backend: whether every check passed, and its worst error / bound with where it was. */
  @Override
  public List<Headline> headlines(RunRecord run, ParityData d) {
    List<Headline> out = new ArrayList<>();
    for (String backend : d.backends()) {
      List<ParityData.Check> cs = d.checks().stream().filter(c -> c.backend().equals(backend)).toList();
      if (cs.isEmpty()) {
        out.add(Headline.info(backend, "not compared"));
        continue;
      }
      long failed = cs.stream().filter(c -> !c.passed()).count();
      ParityData.Check worst = cs.stream().max(java.util.Comparator.comparingDouble(ParityData.Check::worstRatio))
          .orElseThrow();
      out.add(Headline.verdict(backend, (failed == 0 ? "all " + cs.size() + " checks pass" : failed + " of "
          + cs.size() + " checks FAIL") + "; worst error / bound " + Fmt.num(worst.worstRatio()) + " ("
          + worst.quantity() + ", " + worst.spec() + ")", failed == 0));
    }
    if (!d.skipped().isEmpty()) {
      out.add(Headline.info("not compared", d.skipped().size() + " scenario(s) a backend cannot run"));
    }
    return out;
  }

  private static DomContent verdictTable(ParityData d, String spec, List<String> quantities) {
    List<DomContent> header = new ArrayList<>();
    header.add(th("backend").withClass("l"));
    quantities.forEach(q -> header.add(th(q)));
    List<DomContent> rows = new ArrayList<>();
    for (String backend : d.backends()) {
      List<DomContent> cells = new ArrayList<>();
      cells.add(td(backend).withClass("l"));
      for (String q : quantities) {
        List<ParityData.Check> cs = d.checks().stream().filter(x -> x.spec().equals(spec)
            && x.backend().equals(backend) && x.quantity().equals(q)).toList();
        if (cs.isEmpty()) {
          cells.add(td("-"));
          continue;
        }
        ParityData.Check worst = cs.stream().max(java.util.Comparator.comparingDouble(ParityData.Check::worstRatio))
            .orElseThrow();
        boolean passed = cs.stream().allMatch(ParityData.Check::passed);
        cells.add(td(Fmt.num(worst.worstRatio())).withClass(passed ? "pass" : "fail")
            .withTitle(worst.scenario() + ": max abs " + Fmt.num(worst.maxAbsError()) + " in " + worst.worstTensor()));
      }
      rows.add(tr(cells.toArray(new DomContent[0])));
    }
    return table(thead(tr(header.toArray(new DomContent[0]))), tbody(rows.toArray(new DomContent[0])));
  }

  private static double[] steps(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = i;
    }
    return x;
  }
}
