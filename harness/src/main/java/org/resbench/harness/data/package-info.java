/**
 * Data sets: readers for IDX and CIFAR-10 files, the locator that finds them, verification against pinned
 * checksums, preprocessing (normalisation, padding, validation split) and augmentation drawn from named seeded
 * streams, so every backend receives bit-identical batches.
 */
package org.resbench.harness.data;
