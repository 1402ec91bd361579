package org.resbench.experiments;

import org.resbench.harness.data.LabeledDataset;

/**
 * The image data an experiment run uses: a real data set, or the synthetic one when the real one could not
 * be had (the run then says so in its messages). Immutable.
 *
 * @param train training examples (preprocessed)
 * @param test test examples (preprocessed)
 * @param description what it is and where it came from, for provenance
 * @param synthetic whether this is the synthetic fallback
 */
public record ImageData(LabeledDataset train, LabeledDataset test, String description, boolean synthetic) {}
