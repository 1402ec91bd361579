package org.resbench.experiments.shattered;

import java.util.List;
import org.resbench.results.ExperimentData;
import org.resbench.results.stats.CurveFit.Fit;
import org.resbench.results.stats.DecayLaw;

/**
 * The {@code shattered-gradients} experiment (Balduzzi et al. 2017): gradients along a line of inputs at
 * initialisation, their autocorrelation, and how the correlation of neighbouring gradients decays with
 * depth, for an MLP study and a convolutional study. Immutable.
 *
 * @param backends the backends that produced curves
 * @param mlp the fully connected study
 * @param conv the convolutional study, or null when it was not run
 */
public record ShatteredGradientsData(List<String> backends, MlpStudy mlp, ConvStudy conv) implements ExperimentData {

  public ShatteredGradientsData {
    backends = List.copyOf(backends);
  }

  /**
   * Scalar-in, scalar-out MLPs on a grid of inputs.
   *
   * @param width hidden units per layer
   * @param inputs the grid of input points (the batch; BN statistics are taken over it)
   * @param depths the depths studied
   * @param curves one per (backend, family, depth, seed)
   * @param fits one per (backend, family), made on the means over seeds
   * @param activity one per (backend, family, depth) where the backend records activations (first seed)
   * @param spreads one per (backend, family, depth): the neighbour correlation over seeds
   */
  public record MlpStudy(int width, double[] inputs, List<Integer> depths, List<GradientCurve> curves,
      List<DepthFit> fits, List<UnitActivity> activity, List<DepthSpread> spreads) {
    public MlpStudy {
      spreads = spreads == null ? List.of() : List.copyOf(spreads);
    }
  }

  /**
   * Convolutional nets along a line between two test images.
   *
   * @param points inputs on the line (the batch)
   * @param endpoints what the line joins, e.g. "fashion-mnist/test #0 (label 9) -> #1 (label 2)"
   * @param curves one per (backend, family, depth, seed)
   * @param fits one per (backend, family), made on the means over seeds
   * @param spreads one per (backend, family, depth): the neighbour correlation over seeds
   */
  public record ConvStudy(int points, String endpoints, List<Integer> depths, List<GradientCurve> curves,
      List<DepthFit> fits, List<DepthSpread> spreads) {
    public ConvStudy {
      spreads = spreads == null ? List.of() : List.copyOf(spreads);
    }
  }

  /**
   * The neighbour correlation of one (backend, family, depth) over seeds: the mean, and its 95% Student-t
   * interval (NaN bounds with one seed).
   */
  public record DepthSpread(String backend, String family, int depth, int seeds, double mean, double lower,
      double upper) {}

  /**
   * One net's gradients along the line.
   *
   * @param gradients the raw per-point samples: for the MLP study dy/dx at each point; for the conv study the
   *     norm of the input gradient at each point
   * @param neighbourCorrelations conv study: the correlation between the gradient images at points i and
   *     i+1, for every i; MLP study: empty (scalar gradients have only the autocorrelation)
   * @param autocorrelation the autocorrelation by lag, 1 at lag 0
   * @param neighbourCorrelation the summary: correlation of neighbouring gradients (lag-1)
   * @param seed the seed of the net's weights
   */
  public record GradientCurve(String backend, String family, int depth, double[] gradients,
      double[] neighbourCorrelations, double[] autocorrelation, double neighbourCorrelation, long seed) {

    /** The first seed's curve of (backend, family, depth) among {@code curves}, or null. */
    public static GradientCurve find(List<GradientCurve> curves, String backend, String family, int depth) {
      return curves.stream().filter(c -> c.backend().equals(backend) && c.family().equals(family)
          && c.depth() == depth).findFirst().orElse(null);
    }

    /** The curve of (backend, family, depth, seed) among {@code curves}, or null. */
    public static GradientCurve find(List<GradientCurve> curves, String backend, String family, int depth,
        long seed) {
      return curves.stream().filter(c -> c.backend().equals(backend) && c.family().equals(family)
          && c.depth() == depth && c.seed() == seed).findFirst().orElse(null);
    }
  }

  /**
   * Both laws fitted to neighbour correlation against depth by least squares: exponential {@code a * b^L} and
   * power {@code a * L^-c}, on the means over seeds; with several seeds also each seed's own fitted rates, whose
   * spread says how firmly the rate is known.
   *
   * @param exponentialRates b fitted to each seed's curve alone (empty with one seed)
   * @param powerRates c fitted to each seed's curve alone (empty with one seed)
   */
  public record DepthFit(String backend, String family, Fit exponential, Fit powerLaw, DecayLaw better,
      List<Double> exponentialRates, List<Double> powerRates) {
    public DepthFit {
      exponentialRates = exponentialRates == null ? List.of() : List.copyOf(exponentialRates);
      powerRates = powerRates == null ? List.of() : List.copyOf(powerRates);
    }

    /** The fit of the better law. */
    public Fit best() {
      return better == DecayLaw.EXPONENTIAL ? exponential : powerLaw;
    }
  }

  /**
   * ReLU unit activity and activation variance per layer of one net, across the inputs.
   *
   * @param layers probe point names, in depth order
   * @param alwaysOn fraction of a layer's units whose ReLU is on for every input
   * @param alwaysOff fraction of units off for every input
   * @param variance mean over units of the activation's variance across inputs
   */
  public record UnitActivity(String backend, String family, int depth, List<String> layers, double[] alwaysOn,
      double[] alwaysOff, double[] variance) {}
}
