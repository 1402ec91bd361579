package org.resbench.experiments.throughput;

import static j2html.TagCreator.details;
import static j2html.TagCreator.div;
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
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.resbench.experiments.throughput.ThroughputData.Peak;
import org.resbench.experiments.throughput.ThroughputData.Row;
import org.resbench.reports.Chart;
import org.resbench.reports.Fmt;
import org.resbench.reports.HtmlReport;
import org.resbench.reports.ReportContext;
import org.resbench.reports.ReportSection;
import org.resbench.results.RunRecord;

/**
 * The throughput section: a summary with the backends side by side (images/s, roofline fraction, ratios to the
 * first backend) and the harness's overhead over each engine's bare loop; the engines' measured peaks; a table per
 * spec with the full figures folded beneath it; batch- and thread-scaling charts. Stateless.
 */
final class ThroughputSection implements ReportSection<ThroughputData> {
  private static final String INFERENCE = "inference";
  private static final String BARE = "bare-inference";
  private static final String TRAIN = "train-step";

  /**
   * The summary table's cells: for each spec at the largest batch and thread count, the images/s of inference and of a
   * training step per backend, with the ratio of each backend to the first.
   */
  @Override
  public List<org.resbench.reports.Headline> headlines(RunRecord run, ThroughputData d) {
    List<org.resbench.reports.Headline> out = new ArrayList<>();
    int threads = d.threads().stream().mapToInt(Integer::intValue).max().orElse(0);
    int batch = d.batches().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (String spec : d.specs()) {
      for (String measure : List.of(INFERENCE, TRAIN)) {
        List<String> cells = new ArrayList<>();
        Double base = null;
        for (String backend : d.backends()) {
          var row = d.row(spec, backend, batch, threads, measure);
          if (row.isEmpty()) {
            continue;
          }
          double ips = row.get().imagesPerSecond();
          cells.add(backend + " " + Fmt.fixed(ips, 0) + (base == null ? "" : " (x" + Fmt.fixed(ips / base, 2) + ")"));
          base = base == null ? ips : base;
        }
        if (!cells.isEmpty()) {
          out.add(org.resbench.reports.Headline.info(spec + ", batch " + batch + ", " + measure + " images/s",
              String.join(", ", cells)));
        }
      }
    }
    return out;
  }

  @Override
  public DomContent render(RunRecord run, ThroughputData d, ReportContext charts) {
    List<DomContent> parts = new ArrayList<>();
    int top = d.threads().stream().mapToInt(Integer::intValue).max().orElse(0);
    String level = Fmt.fixed(100 * d.level(), 0) + "%";
    parts.add(p("Images/s is the batch size over the mean time per call, with its " + level + " interval (Student t"
        + " on the mean time); GFLOP/s follows from the cost model (2 FLOPs per multiply-accumulate of the forward pass"
        + " for inference, 6 for a training step: forward, input and weight gradients); the roofline fraction divides"
        + " it by the same engine's best matrix-product rate at the same thread count, measured in this run. Backends"
        + " and batch sizes of a spec ran interleaved in rounds in one process, so ratios between them are fair;"
        + " absolute figures move with the machine's load. " + d.cores() + " cores; thread counts " + d.threads()
        + (d.threads().size() > 1 ? "; the summary and the tables per spec show " + top + " threads, the folded"
        + " figures and the thread-scaling charts every count" : "") + "."));
    parts.add(h3("Summary"));
    parts.add(summaryTable(d, level, top));
    parts.add(p("Harness path over the engine's bare loop (inference): the median of call-by-call ratios of"
        + " alternating calls, with its distribution-free " + level + " interval (1: no overhead). Training step over"
        + " inference: the ratio of their mean times at the same batch size."));
    parts.add(ratioTable(d, top));
    parts.add(h3("Engine peaks"));
    parts.add(peakTable(d));
    for (String spec : d.specs()) {
      List<Row> rows = d.rows().stream().filter(r -> r.spec().equals(spec)).toList();
      if (rows.isEmpty()) {
        continue;
      }
      parts.add(h3(spec + " (" + String.format(Locale.ROOT, "%,d", rows.get(0).macsPerExample())
          + " multiply-accumulates per example)"));
      parts.add(specTable(rows.stream().filter(r -> r.threads() == top).toList()));
      parts.add(details(summary("All figures for " + spec + " (latency quantiles, cold first call, session"
          + " creation, memory)"), fullTable(rows)));
      List<DomContent> figs = new ArrayList<>();
      batchChart(d, spec, rows, charts).ifPresent(figs::add);
      threadChart(d, spec, rows, charts).ifPresent(figs::add);
      if (!figs.isEmpty()) {
        parts.add(div(figs.toArray(new DomContent[0])).withClass("charts"));
      }
    }
    Set<String> notes = new LinkedHashSet<>(d.notes());
    notes.removeAll(run.messages()); // already shown above the section
    for (ThroughputData.Group g : d.groups()) {
      g.skipped().forEach(s -> notes.add("skipped " + s));
    }
    for (ThroughputData.Group g : d.groups()) {
      g.failures().forEach(f -> notes.add(g.spec() + " (" + g.threads() + " threads): FAILED " + f));
    }
    notes.add("Memory: process resident memory (VmRSS, VmHWM) around each row's set-up; none of these engines"
        + " exposes its native arena size on the CPU through its Java API (ONNX Runtime's has no allocator"
        + " statistics; PyTorch keeps them for CUDA only), so no arena figure is shown.");
    parts.add(h3("Notes"));
    parts.add(HtmlReport.bullets(List.copyOf(notes)));
    parts.add(details(summary("Groups (wall time and memory peak per spec and thread count)"), table(
        thead(tr(th("spec").withClass("l"), th("threads"), th("wall s"), th("peak RSS MB"))),
        tbody(d.groups().stream().map(g -> tr(td(g.spec()).withClass("l"), td(String.valueOf(g.threads())),
            td(Fmt.fixed(g.seconds(), 1)), td(mb(g.peakRssBytes())))).toArray(DomContent[]::new)))));
    return div(parts.toArray(new DomContent[0]));
  }

  /** Per (spec, batch, threads, measure): every backend's images/s and roofline fraction, and ratios to the first. */
  private static DomContent summaryTable(ThroughputData d, String level, int t) {
    List<String> backends = d.backends();
    String base = backends.isEmpty() ? "" : backends.get(0);
    List<DomContent> head = new ArrayList<>(List.of(th("spec").withClass("l"), th("batch"), th("threads"),
        th("measure").withClass("l")));
    for (String b : backends) {
      head.add(th(b + " img/s (" + level + ")"));
      head.add(th(b + " roofline"));
    }
    for (String b : backends.subList(Math.min(1, backends.size()), backends.size())) {
      head.add(th(b + " / " + base));
    }
    List<DomContent> body = new ArrayList<>();
    for (String spec : d.specs()) {
      for (int batch : d.batches()) {
        for (String m : List.of(INFERENCE, TRAIN)) {
          List<Optional<Row>> cells = backends.stream().map(b -> d.row(spec, b, batch, t, m)).toList();
          if (cells.stream().allMatch(Optional::isEmpty)) {
            continue;
          }
          List<DomContent> tds = new ArrayList<>(List.of(td(spec).withClass("l"), td(String.valueOf(batch)),
              td(String.valueOf(t)), td(m).withClass("l")));
          for (Optional<Row> c : cells) {
            tds.add(td(c.map(ThroughputSection::rateWithInterval).orElse("-")));
            tds.add(fractionCell(c.orElse(null)));
          }
          Optional<Row> first = cells.get(0);
          for (Optional<Row> c : cells.subList(Math.min(1, cells.size()), cells.size())) {
            tds.add(td(first.isPresent() && c.isPresent()
                ? Fmt.num(c.get().imagesPerSecond() / first.get().imagesPerSecond()) : "-")
                .withTitle("images/s of this backend over " + base + "'s"));
          }
          body.add(tr(tds.toArray(new DomContent[0])));
        }
      }
    }
    return table(thead(tr(head.toArray(new DomContent[0]))), tbody(body.toArray(new DomContent[0])));
  }

  private static DomContent ratioTable(ThroughputData d, int t) {
    List<String> backends = d.backends();
    List<DomContent> head = new ArrayList<>(List.of(th("spec").withClass("l"), th("batch"), th("threads")));
    backends.forEach(b -> head.add(th(b + " harness / bare")));
    backends.forEach(b -> head.add(th(b + " step / inference")));
    List<DomContent> body = new ArrayList<>();
    for (String spec : d.specs()) {
      for (int batch : d.batches()) {
        List<DomContent> tds = new ArrayList<>(List.of(td(spec).withClass("l"), td(String.valueOf(batch)),
            td(String.valueOf(t))));
        boolean any = false;
        for (String b : backends) {
          Optional<Row> r = d.row(spec, b, batch, t, INFERENCE).filter(x -> x.overBare() != null);
          any |= r.isPresent();
          tds.add(td(r.map(x -> Fmt.fixed(x.overBare(), 3) + interval(x.overBareLow(), x.overBareHigh(), 3))
              .orElse("-")));
        }
        for (String b : backends) {
          Optional<Row> inf = d.row(spec, b, batch, t, INFERENCE);
          Optional<Row> step = d.row(spec, b, batch, t, TRAIN);
          any |= inf.isPresent() && step.isPresent();
          tds.add(td(inf.isPresent() && step.isPresent()
              ? Fmt.fixed(inf.get().imagesPerSecond() / step.get().imagesPerSecond(), 2) : "-"));
        }
        if (any) {
          body.add(tr(tds.toArray(new DomContent[0])));
        }
      }
    }
    return table(thead(tr(head.toArray(new DomContent[0]))), tbody(body.toArray(new DomContent[0])));
  }

  private static DomContent peakTable(ThroughputData d) {
    List<DomContent> body = new ArrayList<>();
    for (String b : d.backends()) {
      for (int t : d.threads()) {
        Optional<Peak> best = d.bestPeak(b, t);
        if (best.isEmpty()) {
          body.add(tr(td(b).withClass("l"), td(String.valueOf(t)), td("no peak measured").withClass("l"), td("-"),
              td("-"), td("-")));
          continue;
        }
        List<Peak> all = d.peaks().stream().filter(p -> p.backend().equals(b) && p.threads() == t)
            .sorted(Comparator.comparingInt(Peak::size)).toList();
        StringBuilder bySize = new StringBuilder();
        for (Peak p : all) {
          bySize.append(bySize.length() == 0 ? "" : ", ").append(p.size()).append(' ').append(p.when()).append(' ')
              .append(Fmt.fixed(p.gflops(), 1));
        }
        Peak p = best.get();
        body.add(tr(td(b).withClass("l"), td(String.valueOf(t)), td(p.description()).withClass("l"),
            td(Fmt.fixed(p.gflops(), 1) + interval(p.gflopsLow(), p.gflopsHigh(), 1)),
            td(p.size() + " (" + p.when() + ")"), td(bySize.toString()).withClass("l")));
      }
    }
    return table(thead(tr(th("backend").withClass("l"), th("threads"), th("best product").withClass("l"),
        th("GFLOP/s"), th("at n"), th("every size: n when GFLOP/s").withClass("l"))),
        tbody(body.toArray(new DomContent[0])));
  }

  private static DomContent specTable(List<Row> rows) {
    return table(thead(tr(th("backend").withClass("l"), th("batch"), th("threads"), th("measure").withClass("l"),
        th("img/s"), th("GFLOP/s"), th("roofline fraction"), th("p50 ms"), th("p99 ms"), th("cold ms"),
        th("peak RSS MB"))),
        tbody(rows.stream().map(r -> tr(td(r.backend()).withClass("l"), td(String.valueOf(r.batch())),
            td(String.valueOf(r.threads())), td(r.measure()).withClass("l"), td(rateWithInterval(r)),
            td(Fmt.fixed(r.gflops(), 1)), fractionCell(r), td(ms(r.p50())), td(ms(r.p99())), td(ms(r.coldSeconds())),
            td(mb(r.peakRssBytes())))).toArray(DomContent[]::new)));
  }

  private static DomContent fullTable(List<Row> rows) {
    return table(thead(tr(th("backend").withClass("l"), th("batch"), th("threads"), th("measure").withClass("l"),
        th("calls"), th("p50 ms"), th("p90 ms"), th("p99 ms"), th("max ms"), th("cold ms"), th("open s"),
        th("img/s"), th("img/s low"), th("img/s high"), th("GFLOP/s"), th("peak GFLOP/s"), th("RSS before MB"),
        th("peak RSS MB"), th("added MB"))),
        tbody(rows.stream().map(r -> tr(td(r.backend()).withClass("l"), td(String.valueOf(r.batch())),
            td(String.valueOf(r.threads())), td(r.measure()).withClass("l"), td(String.valueOf(r.seconds().length)),
            td(ms(r.p50())), td(ms(r.p90())), td(ms(r.p99())), td(ms(r.max())), td(ms(r.coldSeconds())),
            td(Fmt.fixed(r.openSeconds(), 3)), td(rate(r.imagesPerSecond())), td(rate(r.imagesPerSecondLow())),
            td(rate(r.imagesPerSecondHigh())), td(Fmt.fixed(r.gflops(), 1)),
            td(r.peakGflops() == null ? "-" : Fmt.fixed(r.peakGflops(), 1)), td(mb(r.rssBeforeBytes())),
            td(mb(r.peakRssBytes()) + (r.peakRssReset() ? "" : "*")),
            td(r.rssBeforeBytes() < 0 || r.peakRssBytes() < 0 ? "-" : mb(r.peakRssBytes() - r.rssBeforeBytes()))))
            .toArray(DomContent[]::new)));
  }

  /** Images/s against batch size for each backend and measure, at the spec's largest thread count. */
  private static Optional<DomContent> batchChart(ThroughputData d, String spec, List<Row> rows, ReportContext charts) {
    if (d.batches().size() < 2) {
      return Optional.empty();
    }
    int t = rows.stream().mapToInt(Row::threads).max().orElse(0);
    List<Chart.Series> series = new ArrayList<>();
    for (String b : d.backends()) {
      for (String m : List.of(INFERENCE, TRAIN)) {
        List<Row> pts = rows.stream().filter(r -> r.backend().equals(b) && r.measure().equals(m) && r.threads() == t)
            .sorted(Comparator.comparingInt(Row::batch)).toList();
        if (!pts.isEmpty()) {
          series.add(new Chart.Series(b + " " + m, pts.stream().mapToDouble(Row::batch).toArray(),
              pts.stream().mapToDouble(Row::imagesPerSecond).toArray(),
              m.equals(TRAIN) ? Chart.Style.DASHED : Chart.Style.LINE_AND_POINTS));
        }
      }
    }
    return series.isEmpty() ? Optional.empty() : Optional.of(charts.figure(new Chart(spec + ": images/s against"
        + " batch size, " + t + " threads (solid: inference, dashed: training step)", "batch size", "images/s", true,
        true, series)));
  }

  /** Images/s against threads for each backend and measure, at the largest batch size. */
  private static Optional<DomContent> threadChart(ThroughputData d, String spec, List<Row> rows,
      ReportContext charts) {
    if (d.threads().size() < 2) {
      return Optional.empty();
    }
    int batch = rows.stream().mapToInt(Row::batch).max().orElse(1);
    List<Chart.Series> series = new ArrayList<>();
    for (String b : d.backends()) {
      for (String m : List.of(INFERENCE, TRAIN)) {
        List<Row> pts = rows.stream().filter(r -> r.backend().equals(b) && r.measure().equals(m) && r.batch() == batch)
            .sorted(Comparator.comparingInt(Row::threads)).toList();
        if (!pts.isEmpty()) {
          series.add(new Chart.Series(b + " " + m, pts.stream().mapToDouble(Row::threads).toArray(),
              pts.stream().mapToDouble(Row::imagesPerSecond).toArray(),
              m.equals(TRAIN) ? Chart.Style.DASHED : Chart.Style.LINE_AND_POINTS));
        }
      }
    }
    return series.isEmpty() ? Optional.empty() : Optional.of(charts.figure(new Chart(spec + ": images/s against"
        + " intra-op threads, batch " + batch + " (solid: inference, dashed: training step)", "threads", "images/s",
        false, false, series)));
  }

  private static String rateWithInterval(Row r) {
    return rate(r.imagesPerSecond()) + interval(r.imagesPerSecondLow(), r.imagesPerSecondHigh());
  }

  /** A rate in plain digits: whole numbers from 100 up, three significant digits below. */
  static String rate(double v) {
    if (!Double.isFinite(v)) {
      return Fmt.num(v);
    }
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }

  private static DomContent fractionCell(Row r) {
    if (r == null) {
      return td("-");
    }
    if (r.rooflineFraction() == null) {
      return td("").withTitle("no peak measured for " + r.backend());
    }
    return td(String.format(Locale.ROOT, "%.2g", r.rooflineFraction())).withTitle(Fmt.fixed(r.gflops(), 1) + " of "
        + Fmt.fixed(r.peakGflops(), 1) + " GFLOP/s");
  }

  private static String interval(double low, double high) {
    return Double.isFinite(low) && Double.isFinite(high) ? " (" + rate(low) + "-" + rate(high) + ")" : "";
  }

  private static String interval(Double low, Double high, int decimals) {
    return low != null && high != null && Double.isFinite(low) && Double.isFinite(high)
        ? " (" + Fmt.fixed(low, decimals) + "-" + Fmt.fixed(high, decimals) + ")" : "";
  }

  private static String ms(double seconds) {
    return Double.isFinite(seconds) ? Fmt.num(1e3 * seconds) : "-";
  }

  private static String mb(long bytes) {
    return bytes < 0 ? "-" : String.valueOf(bytes >> 20);
  }
}
