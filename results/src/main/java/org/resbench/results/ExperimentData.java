package org.resbench.results;

/**
 * An experiment's results: raw samples plus summaries derived from them. One record type per experiment,
 * registered with its JSON name through a {@link ResultType} plug-in, and written in JSON with a {@code type}
 * field holding that name, so reports can render records without the experiment's code. A record whose type
 * this build does not know is read as {@link UnknownData}. Implementations are immutable records.
 */
public interface ExperimentData {}
