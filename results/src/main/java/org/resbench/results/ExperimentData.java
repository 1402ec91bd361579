package org.resbench.results;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * An experiment's results: raw samples plus summaries derived from them. One record type per experiment,
 * named in JSON by its {@code type} field, so reports can render records without the experiment's code.
 * Implementations are immutable records.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = ParityData.class, name = "parity"),
    @JsonSubTypes.Type(value = ShatteredGradientsData.class, name = "shattered-gradients")})
public sealed interface ExperimentData permits ParityData, ShatteredGradientsData {}
