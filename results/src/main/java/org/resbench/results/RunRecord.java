package org.resbench.results;

import java.util.List;

/**
 * One experiment run as stored: identity, outcome, provenance and data. Immutable; written once, atomically,
 * by {@link ResultsStore}.
 *
 * @param schema the record format's version ({@link #SCHEMA})
 * @param id unique and sortable by start time, e.g. {@code 20261123-153012-parity-4f2a}
 * @param experiment the experiment's name
 * @param profile the config profile ({@code smoke}, {@code paper}, or {@code custom})
 * @param status how it ended
 * @param messages notices and failure reasons for a reader (e.g. "synthetic data: Fashion-MNIST not found")
 * @param provenance how to redo it
 * @param data the experiment's raw samples and summaries
 */
public record RunRecord(int schema, String id, String experiment, String profile, RunStatus status,
    List<String> messages, Provenance provenance, ExperimentData data) {

  public static final int SCHEMA = 1;

  public RunRecord {
    if (id == null || !id.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("run id '" + id + "'; allowed: letters, digits, '.', '_' and '-'");
    }
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
