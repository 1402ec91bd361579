package org.resbench.harness.backend;

import java.nio.file.Path;
import java.util.Map;
import org.resbench.harness.model.ModelState;
import org.resbench.harness.spec.ModelSpec;

/**
 * Writes a spec with its weights as a model file in an interchange format (e.g. ONNX). Found through
 * {@link java.util.ServiceLoader}, so the CLI and other backends (DJL's OnnxRuntime engine) can export
 * without importing the module that implements it. Implementations are stateless and thread-safe.
 */
public interface ModelExporter {

  /** The format's name, e.g. {@code onnx}. */
  String format();

  /** The usual file extension with its dot, e.g. {@code .onnx}. */
  String fileExtension();

  /**
   * Writes an inference model (BatchNorm with running statistics, gates as described by the implementation)
   * to {@code out}, atomically (a partial file never appears at {@code out}).
   *
   * @param metadata provenance written into the file (e.g. spec name and hash, seed, resbench version)
   */
  void export(ModelSpec spec, ModelState state, Path out, Map<String, String> metadata);

  /**
   * Like {@link #export(ModelSpec, ModelState, Path, Map)} with the BatchNorm layers in {@code bnMode}:
   * {@link BnMode#INFERENCE} is that inference model; {@link BnMode#TRAIN} is a forward model that normalises
   * with the batch's mean and biased variance (it neither reads nor updates running statistics), for runtimes
   * that run training-mode forward passes of an exported model. The default writes INFERENCE models only and
   * throws {@link UnsupportedOperationException} for TRAIN.
   */
  default void export(ModelSpec spec, ModelState state, BnMode bnMode, Path out, Map<String, String> metadata) {
    if (bnMode != BnMode.INFERENCE) {
      throw new UnsupportedOperationException("the '" + format() + "' exporter writes inference models only (BatchNorm"
          + " with running statistics); BnMode." + bnMode + " is not supported");
    }
    export(spec, state, out, metadata);
  }
}
