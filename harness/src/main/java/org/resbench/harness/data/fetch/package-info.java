/**
 * Obtaining data sets from whatever source works on this machine (official site, Debian package, npm), staged,
 * verified and installed atomically.
 */
package org.resbench.harness.data.fetch;
