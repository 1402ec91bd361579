/**
 * Developer tools of the ONNX Runtime backend, not tests: programs with a {@code main} that measure or exercise
 * ort-cpu by hand ({@link org.resbench.backend.ort.devtools.HarnessOverheadBench}, a JMH benchmark of the harness's
 * per-call overhead; {@link org.resbench.backend.ort.devtools.TrainStepProfile}, where a training step's time goes;
 * {@link org.resbench.backend.ort.devtools.FashionMnistRun}, a real training run). Each class's Javadoc has the
 * command that runs it from the repository root. They live in the test sources, so the backend's jar does not carry
 * them, and reach the backend's internals only through {@link org.resbench.backend.ort.DevtoolsAccess}.
 */
package org.resbench.backend.ort.devtools;
