/** The {@code shattered-gradients} experiment (Balduzzi et al. 2017). */
package org.resbench.experiments.shattered;
