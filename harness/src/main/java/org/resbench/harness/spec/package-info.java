/**
 * The model spec: an immutable, validated description of a whole network (layers, blocks, shapes, initialisation
 * scheme), the single source of truth that every backend translates. {@link org.resbench.harness.spec.Architecture}
 * holds the papers' families, {@link org.resbench.harness.spec.SpecNames} the name grammar, and
 * {@link org.resbench.harness.spec.ModelSpec} the cost model (parameters, multiply-accumulates) and content hash.
 */
package org.resbench.harness.spec;
