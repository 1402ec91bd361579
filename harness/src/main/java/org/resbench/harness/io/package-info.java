/** File writing that never leaves a half-written output behind. */
package org.resbench.harness.io;
