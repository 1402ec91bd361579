package org.resbench.harness.backend;

/**
 * How a session is opened. Immutable; build with {@link #builder()}.
 *
 * @param threads intra-op threads, or 0 for the engine's default (all cores)
 * @param sgd the optimiser that {@link Session#trainStep} applies
 */
public record SessionOptions(int threads, SgdConfig sgd) {

  public static final SessionOptions DEFAULT = new SessionOptions(0, SgdConfig.HE_2016);

  public SessionOptions {
    if (threads < 0) {
      throw new IllegalArgumentException("threads=" + threads + "; allowed: 0 (engine default) or more");
    }
    if (sgd == null) {
      throw new IllegalArgumentException("sgd: required");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builder with the defaults of {@link #DEFAULT}. */
  public static final class Builder {
    private int threads = 0;
    private SgdConfig sgd = SgdConfig.HE_2016;

    public Builder optThreads(int t) {
      threads = t;
      return this;
    }

    public Builder optSgd(SgdConfig s) {
      sgd = s;
      return this;
    }

    public SessionOptions build() {
      return new SessionOptions(threads, sgd);
    }
  }
}
