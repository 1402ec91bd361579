package org.resbench.harness.spec;

/**
 * How a model's parameters are drawn from a seed (the drawing itself is
 * {@code org.resbench.harness.model.Initializer}). BatchNorm always starts at gamma = 1, beta = 0, running
 * mean 0 and running variance 1. Immutable.
 *
 * @param convWeights distribution of convolution weights
 * @param linearWeights distribution of linear-layer weights
 * @param biases distribution of biases (convolution and linear)
 */
public record InitScheme(WeightInit convWeights, WeightInit linearWeights, BiasInit biases) {

  /** He-normal weights and zero biases: the papers' default. */
  public static final InitScheme DEFAULT = new InitScheme(new WeightInit.HeNormal(), new WeightInit.HeNormal(),
      new BiasInit.Zero());

  public InitScheme {
    if (convWeights == null || linearWeights == null || biases == null) {
      throw new IllegalArgumentException("init scheme: convWeights, linearWeights and biases are all required");
    }
  }

  public InitScheme withBiases(BiasInit b) {
    return new InitScheme(convWeights, linearWeights, b);
  }

  public InitScheme withWeights(WeightInit w) {
    return new InitScheme(w, w, biases);
  }

  public String canonical() {
    return "init(" + convWeights.canonical() + "," + linearWeights.canonical() + "," + biases.canonical() + ")";
  }

  /** A weight distribution; its standard deviation may depend on the fan-in. */
  public sealed interface WeightInit {
    /** The standard deviation for a tensor with this fan-in. */
    double std(int fanIn);

    String canonical();

    /** N(0, 2 / fanIn) (He et al. 2015). */
    record HeNormal() implements WeightInit {
      @Override
      public double std(int fanIn) {
        return Math.sqrt(2.0 / fanIn);
      }

      @Override
      public String canonical() {
        return "he";
      }
    }

    /** N(0, 1 / fanIn). */
    record LeCunNormal() implements WeightInit {
      @Override
      public double std(int fanIn) {
        return Math.sqrt(1.0 / fanIn);
      }

      @Override
      public String canonical() {
        return "lecun";
      }
    }

    /** N(0, std^2) whatever the fan-in. */
    record Normal(double std) implements WeightInit {
      public Normal {
        if (!(std > 0) || Double.isInfinite(std)) {
          throw new IllegalArgumentException("weight init std=" + std + "; allowed: a finite value > 0");
        }
      }

      @Override
      public double std(int fanIn) {
        return std;
      }

      @Override
      public String canonical() {
        return "normal" + std;
      }
    }
  }

  /** A bias distribution. */
  public sealed interface BiasInit {
    /** The standard deviation for a bias with this fan-in; 0 means all zeros. */
    double std(int fanIn);

    String canonical();

    /** Every bias 0. */
    record Zero() implements BiasInit {
      @Override
      public double std(int fanIn) {
        return 0;
      }

      @Override
      public String canonical() {
        return "zero";
      }
    }

    /** N(0, 1 / fanIn), as in the published shattered-gradients reproduction. */
    record LeCunNormal() implements BiasInit {
      @Override
      public double std(int fanIn) {
        return Math.sqrt(1.0 / fanIn);
      }

      @Override
      public String canonical() {
        return "lecun";
      }
    }

    /** Biases drawn from N(0, std^2). */
    record Normal(double std) implements BiasInit {
      public Normal {
        if (!(std > 0) || Double.isInfinite(std)) {
          throw new IllegalArgumentException("bias init std=" + std + "; allowed: a finite value > 0");
        }
      }

      @Override
      public double std(int fanIn) {
        return std;
      }

      @Override
      public String canonical() {
        return "normal" + std;
      }
    }
  }
}
