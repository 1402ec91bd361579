package org.resbench.harness.train;

import java.util.Arrays;

/**
 * The learning rate at each step, computed by the harness and passed to every backend's training step.
 * Immutable and thread-safe.
 */
public sealed interface LrSchedule {

  /** The rate at 0-based step {@code step}. */
  double rate(int step);

  /** He et al. 2016 on CIFAR: 0.1, divided by 10 at 32k and 48k iterations (training stops at 64k). */
  static LrSchedule heCifar() {
    return new StepDecay(0.1, new int[] {32_000, 48_000}, 0.1);
  }

  /** He et al.'s schedule compressed to {@code steps}: milestones at 50% and 75%, as 32k and 48k are of 64k. */
  static LrSchedule heCifarScaled(int steps) {
    return new StepDecay(0.1, new int[] {steps / 2, steps * 3 / 4}, 0.1);
  }

  /** ResNet-110's warm-up (He et al.): 0.01 for the first {@code warmupSteps} steps (~400), then {@code after}. */
  static LrSchedule withWarmup(double warmupRate, int warmupSteps, LrSchedule after) {
    return new Warmup(warmupRate, warmupSteps, after);
  }

  /** A fixed rate. */
  record Constant(double lr) implements LrSchedule {
    public Constant {
      requireRate("lr", lr);
    }

    @Override
    public double rate(int step) {
      return lr;
    }
  }

  /** {@code base * factor^(number of milestones <= step)}. */
  record StepDecay(double base, int[] milestones, double factor) implements LrSchedule {
    public StepDecay {
      requireRate("base", base);
      if (!(factor > 0 && factor <= 1)) {
        throw new IllegalArgumentException("factor=" + factor + "; allowed: (0, 1]");
      }
      milestones = milestones.clone();
      for (int i = 0; i < milestones.length; i++) {
        if (milestones[i] < 0 || (i > 0 && milestones[i] < milestones[i - 1])) {
          throw new IllegalArgumentException("milestones=" + Arrays.toString(milestones)
              + "; allowed: non-negative and increasing");
        }
      }
    }

    @Override
    public double rate(int step) {
      double r = base;
      for (int m : milestones) {
        if (step >= m) {
          r *= factor;
        }
      }
      return r;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StepDecay s && s.base == base && s.factor == factor && Arrays.equals(s.milestones,
          milestones);
    }

    @Override
    public int hashCode() {
      return Double.hashCode(base) * 31 + Arrays.hashCode(milestones);
    }

    @Override
    public String toString() {
      return "StepDecay[base=" + base + ", milestones=" + Arrays.toString(milestones) + ", factor=" + factor + "]";
    }
  }

  /** {@code warmupRate} for steps below {@code warmupSteps}, then {@code after} (at its own step numbers). */
  record Warmup(double warmupRate, int warmupSteps, LrSchedule after) implements LrSchedule {
    public Warmup {
      requireRate("warmupRate", warmupRate);
      if (warmupSteps < 0) {
        throw new IllegalArgumentException("warmupSteps=" + warmupSteps + "; allowed: 0 or more");
      }
    }

    @Override
    public double rate(int step) {
      return step < warmupSteps ? warmupRate : after.rate(step);
    }
  }

  /** Cosine annealing from {@code base} to {@code min} over {@code steps}, then {@code min}. */
  record Cosine(double base, double min, int steps) implements LrSchedule {
    public Cosine {
      requireRate("base", base);
      if (!(min >= 0 && min <= base)) {
        throw new IllegalArgumentException("min=" + min + "; allowed: [0, base]");
      }
      if (steps < 1) {
        throw new IllegalArgumentException("steps=" + steps + "; allowed: 1 or more");
      }
    }

    @Override
    public double rate(int step) {
      if (step >= steps) {
        return min;
      }
      return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * step / steps));
    }
  }

  private static void requireRate(String field, double v) {
    if (!(v > 0) || Double.isInfinite(v)) {
      throw new IllegalArgumentException(field + "=" + v + "; allowed: a finite learning rate > 0");
    }
  }
}
