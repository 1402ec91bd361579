/** Host tensors: float32 data with a shape, the form in which numbers cross the backend SPI. */
package org.resbench.harness.tensor;
