/**
 * The ONNX Runtime backends {@code ort-cpu} and {@code ort-cuda} ({@link org.resbench.backend.ort.OrtCpuBackend},
 * {@link org.resbench.backend.ort.OrtCudaBackend}, found through {@code ServiceLoader}) and the ONNX exporter
 * ({@link org.resbench.backend.ort.OnnxModelExporter}). A provider is cheap to construct; ONNX Runtime's process-wide
 * environment is created on first use ({@code OrtRuntime}). A session generates its graphs with
 * {@link org.resbench.backend.ort.onnx.SpecGraphs}, owns the ONNX Runtime sessions and tensors it makes, and
 * releases them on close. Providers are thread-safe; sessions are not.
 */
package org.resbench.backend.ort;
