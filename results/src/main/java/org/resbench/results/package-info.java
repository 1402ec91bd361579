/**
 * The results store: run records (provenance, raw samples, derived summaries) written atomically, the one JSON
 * codec, and the root of the experiment plug-in mechanism ({@link org.resbench.results.ResultType}). Knows no
 * presentation and no engine.
 */
package org.resbench.results;
