package org.resbench.results.stats;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * The decay laws fitted to a quantity against depth: exponential {@code a · b^x} and power {@code a · x^-c}.
 * The one place where a fitted law is evaluated. Written to JSON by its lower-case label.
 */
public enum DecayLaw {
  /** {@code a · b^x}; the rate is b. */
  EXPONENTIAL,
  /** {@code a · x^-c}; the rate is c, x must be positive. */
  POWER;

  /** The law's value with scale 1: {@code rate^x} or {@code x^-rate}. */
  public double basis(double rate, double x) {
    return this == EXPONENTIAL ? Math.pow(rate, x) : Math.pow(x, -rate);
  }

  /** The law's value {@code a · basis(rate, x)}. */
  public double value(double a, double rate, double x) {
    return a * basis(rate, x);
  }

  @JsonValue
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The law with this label ({@code exponential} or {@code power}). */
  @JsonCreator
  public static DecayLaw of(String label) {
    return Arrays.stream(values()).filter(l -> l.label().equals(label)).findFirst().orElseThrow(
        () -> new IllegalArgumentException("decay law '" + label + "'; allowed: exponential, power"));
  }
}
