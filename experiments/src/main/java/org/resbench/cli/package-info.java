/** The {@code resbench} command line (picocli): parses, runs, and turns failures into exit codes. */
package org.resbench.cli;
