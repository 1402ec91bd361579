/**
 * Self-contained HTML reports rendered from stored run records only: charts (JFreeChart to inline SVG), tables,
 * and one section per record from its {@link org.resbench.reports.ReportedResultType} plug-in, or a generic one.
 */
package org.resbench.reports;
