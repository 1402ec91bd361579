package org.resbench.experiments.ensemble;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.resbench.experiments.Progress;
import org.resbench.experiments.ensemble.EnsemblePathsData.PathGradientStats;
import org.resbench.experiments.lesion.Lesions;
import org.resbench.harness.backend.Backend;
import org.resbench.harness.backend.BlockGates;
import org.resbench.harness.backend.BnMode;
import org.resbench.harness.backend.GradientRequest;
import org.resbench.harness.backend.Objective;
import org.resbench.harness.backend.PathMask;
import org.resbench.harness.backend.Session;
import org.resbench.harness.backend.SessionOptions;
import org.resbench.harness.data.Batch;
import org.resbench.harness.data.LabeledDataset;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.model.Rngs;
import org.resbench.harness.spec.ModelSpec;
import org.resbench.harness.tensor.HostTensor;
import org.resbench.results.stats.CurveFit;
import org.resbench.results.stats.PathLengths;
import org.resbench.results.stats.Samples;

/**
 * Samples the gradient that reaches the input through paths of each length (Veit et al. 2016, Fig. 6).
 *
 * <p><b>What one sample is.</b> For path length k and sample s: a training batch of {@code batch} distinct examples
 * (unaugmented) and k distinct blocks, both drawn from the streams (seed, "paths/batch/k/s") and
 * (seed, "paths/blocks/k/s"), so every backend sees the same ones; one forward pass of the whole, unmasked net and
 * one backward pass of the mean softmax cross-entropy in which the k blocks pass gradient only through their
 * residual branch and the others only through their shortcut ({@link PathMask#path}: forward values unchanged);
 * the sample is the L2 norm of the gradient with respect to the input, over the whole {@code [batch, C, H, W]}
 * tensor. That isolates the paths of length k that run through exactly those k branches: the sum of their
 * contributions (Veit et al. sample the blocks the same way and average over 1,000 samples per k).
 *
 * <p><b>Why cross-entropy with BatchNorm in training mode</b> (the default): Veit et al. decompose the gradient
 * that trains the net, i.e. the backward pass of a training step, which normalises with batch statistics and
 * propagates through them; at initialisation the running statistics are not yet meaningful, so inference mode
 * would measure a net nobody uses. {@code inference} mode is available for comparison. The loss is the mean over
 * the batch, so magnitudes scale with 1/batch; compare magnitudes at equal batch sizes only.
 *
 * <p><b>Batches and parallelism.</b> Samples are independent, so {@code workers} sessions, each on its own thread,
 * take them in turn from a shared counter; each sample's draws depend only on (seed, k, s), so the result does not
 * depend on the number of workers or their timing. Each session makes one warm-up call (graph building, JIT) before
 * the clock starts. Stateless.
 */
public final class PathGradientSampler {
  private PathGradientSampler() {}

  /**
   * Samples magnitudes {@code [k][s]} for k = 0..n, s = 0..samples-1.
   *
   * @param backend where to run (needs path masks and input gradients)
   * @param state the weights (and their spec: every block residual)
   * @param train where batches come from
   * @param bnMode BatchNorm mode of the passes
   * @param progress advanced once per sample (called from worker threads under its own lock)
   * @return the magnitudes and the wall time of the sampling, seconds
   */
  public static Result sample(Backend backend, ModelState state, LabeledDataset train, int samples, int batch,
      BnMode bnMode, long seed, int workers, SessionOptions options, Progress progress) {
    ModelSpec spec = state.spec();
    int n = spec.blocks().size();
    if (!spec.blocks().stream().allMatch(org.resbench.harness.spec.Block::residual)) {
      throw new IllegalArgumentException("path gradients of '" + spec.name() + "': it has plain blocks; allowed: a"
          + " net whose every block is residual");
    }
    if (batch > train.size()) {
      throw new IllegalArgumentException("gradientBatch=" + batch + " but the training split has " + train.size()
          + " examples; allowed: at most " + train.size());
    }
    double[][] magnitudes = new double[n + 1][samples];
    int items = (n + 1) * samples;
    AtomicInteger next = new AtomicInteger();
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(workers);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      Thread t = new Thread(() -> {
        boolean counted = false;
        try (Session s = backend.open(spec, state, options)) {
          gradientNorm(s, train, n / 2, 0, batch, bnMode, seed); // warm-up, not recorded
          ready.countDown();
          counted = true;
          go.await();
          for (int i = next.getAndIncrement(); i < items && failure.get() == null; i = next.getAndIncrement()) {
            int k = i / samples;
            int m = i % samples;
            magnitudes[k][m] = gradientNorm(s, train, k, m, batch, bnMode, seed);
            synchronized (progress) {
              progress.step(backend.name() + " path length " + k + " sample " + (m + 1) + "/" + samples);
            }
          }
        } catch (RuntimeException e) {
          failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          failure.compareAndSet(null, new IllegalStateException("path-gradient worker interrupted", e));
        } finally {
          if (!counted) {
            ready.countDown();
          }
        }
      }, "path-gradients-" + backend.name() + "-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    long start;
    try {
      ready.await();
      start = System.nanoTime();
      go.countDown();
      for (Thread t : threads) {
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      go.countDown();
      throw new IllegalStateException("interrupted while sampling path gradients", e);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (failure.get() != null) {
      throw failure.get();
    }
    return new Result(magnitudes, seconds);
  }

  /**
   * Sampled magnitudes.
   *
   * @param magnitudes {@code [k][s]}
   * @param seconds wall time of the sampling after the warm-up
   */
  public record Result(double[][] magnitudes, double seconds) {}

  /** One sample: the input-gradient norm with k random blocks through their branch, on a random batch. */
  static double gradientNorm(Session session, LabeledDataset train, int k, int sample, int batch, BnMode bnMode,
      long seed) {
    ModelSpec spec = session.spec();
    int n = spec.blocks().size();
    Set<Integer> branch = new HashSet<>();
    for (int b : Lesions.choose(n, k, Rngs.stream(seed, "paths/blocks/" + k + "/" + sample))) {
      branch.add(b);
    }
    Batch b = batch(train, batch, Rngs.stream(seed, "paths/batch/" + k + "/" + sample));
    GradientRequest request = GradientRequest.builder(b.input(), Objective.crossEntropy(b.labels()))
        .optBnMode(bnMode).optGates(BlockGates.inference(spec)).optPathMask(PathMask.path(spec, branch)).build();
    HostTensor g = session.gradients(request).inputGradient();
    double sum = 0;
    for (float v : g.data()) {
      sum += (double) v * v;
    }
    return Math.sqrt(sum);
  }

  /** {@code size} distinct examples drawn uniformly (Floyd's algorithm), in the order drawn. */
  static Batch batch(LabeledDataset data, int size, SplittableRandom rng) {
    int total = data.size();
    Set<Integer> seen = new HashSet<>();
    int[] chosen = new int[size];
    int c = 0;
    for (int j = total - size; j < total; j++) {
      int t = rng.nextInt(j + 1);
      int pick = seen.add(t) ? t : j;
      if (pick == j) {
        seen.add(j);
      }
      chosen[c++] = pick;
    }
    int per = data.sampleShape().size();
    float[] x = new float[size * per];
    int[] y = new int[size];
    for (int i = 0; i < size; i++) {
      data.copyInput(chosen[i], x, i * per);
      y[i] = data.label(chosen[i]);
    }
    int[] shape = new int[data.sampleShape().rank() + 1];
    shape[0] = size;
    System.arraycopy(data.sampleShape().dims(), 0, shape, 1, shape.length - 1);
    return new Batch(HostTensor.of(x, shape), y);
  }

  /**
   * What Veit et al. derive from the magnitudes: per length the mean and spread, the total gradient of all paths of
   * that length (C(n, k) × mean), the shortest range of lengths holding {@code fraction} of the total ("effective
   * paths") with the share of all paths in it, and the exponential fit of the mean over k = 1..n on the log scale.
   */
  public static PathGradientStats summarise(double[][] magnitudes, double fraction) {
    int n = magnitudes.length - 1;
    PathLengths d = PathLengths.of(n);
    double[] mean = new double[n + 1];
    double[] sd = new double[n + 1];
    double[] p10 = new double[n + 1];
    double[] p90 = new double[n + 1];
    double[] total = new double[n + 1];
    double[] counts = d.countsAsDoubles();
    double sum = 0;
    for (int k = 0; k <= n; k++) {
      Samples s = new Samples(magnitudes[k]);
      mean[k] = s.mean();
      sd[k] = s.standardDeviation();
      p10[k] = s.quantile(0.1);
      p90[k] = s.quantile(0.9);
      total[k] = counts[k] * mean[k];
      sum += total[k];
    }
    double[] share = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      share[k] = total[k] / sum;
    }
    if (!(sum > 0) || Double.isInfinite(sum)) {
      throw new IllegalArgumentException("path-gradient totals sum to " + sum + " over " + (n + 1) + " lengths;"
          + " allowed: finite magnitudes, not all 0");
    }
    int[] range = PathLengths.shortestRangeHolding(share, fraction);
    double held = 0;
    for (int k = range[0]; k <= range[1]; k++) {
      held += share[k];
    }
    double meanLength = 0;
    for (int k = 0; k <= n; k++) {
      meanLength += k * share[k];
    }
    java.math.BigDecimal paths = d.shareInRange(range[0], range[1]);
    CurveFit.Fit decay = null;
    List<double[]> xy = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      if (mean[k] > 0 && Double.isFinite(mean[k])) {
        xy.add(new double[] {k, mean[k]});
      }
    }
    if (xy.size() >= 2) {
      decay = CurveFit.exponentialLog(xy.stream().mapToDouble(p -> p[0]).toArray(), xy.stream().mapToDouble(p -> p[1])
          .toArray());
    }
    return new PathGradientStats(mean, sd, p10, p90, total, share, fraction, range[0], range[1], held, meanLength,
        paths.doubleValue(), paths.toPlainString(), decay);
  }
}
