package org.resbench.reports;

import java.util.Locale;

/** Number formatting for reports: fixed locale, so reports are byte-identical on every machine. Stateless. */
public final class Fmt {
  private Fmt() {}

  /** Four significant digits, scientific for very small or large magnitudes. */
  public static String num(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "inf" : "-inf";
    }
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5)) {
      return String.format(Locale.ROOT, "%.3e", v);
    }
    return String.format(Locale.ROOT, "%.4g", v);
  }

  public static String fixed(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
