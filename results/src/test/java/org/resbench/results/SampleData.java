package org.resbench.results;

import java.util.List;

/** A data record for the results module's own tests, registered as the experiment {@code sample}. */
public record SampleData(List<String> specs, double[] losses) implements ExperimentData {

  /** Its plug-in (registered in the test resources' {@code META-INF/services}). */
  public static final class Type implements ResultType<SampleData> {
    @Override
    public String name() {
      return "sample";
    }

    @Override
    public Class<SampleData> dataClass() {
      return SampleData.class;
    }
  }
}
