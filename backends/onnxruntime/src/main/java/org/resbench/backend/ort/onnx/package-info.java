/**
 * Spec to ONNX: {@link org.resbench.backend.ort.onnx.SpecGraphs} builds forward, gradient and training-step graphs of
 * a {@link org.resbench.harness.spec.ModelSpec} with a backward pass generated here (ONNX Runtime's Java build cannot
 * train). One {@code GraphContext} per graph is shared by the collaborators that emit it: {@code ForwardPass} (and
 * the {@code Tape} it records), {@code Objectives}, {@code BackwardPass} with the per-layer rules
 * {@code ConvBackward}, {@code BatchNormBackward} and {@code SubsamplePadBackward}, the weight-gradient strategies in
 * {@code WeightGradients}, and {@code TrainingStep} (SGD and running statistics). Below them,
 * {@link org.resbench.backend.ort.onnx.GraphBuilder} owns a graph's names, nodes and constants and checks every node
 * against its {@link org.resbench.backend.ort.onnx.OnnxOp} declaration, and {@code NchwcLayout} emits ONNX Runtime's
 * channel-blocked CPU operators. What a graph computes is a {@link org.resbench.backend.ort.onnx.GraphPlan}; how, a
 * {@link org.resbench.backend.ort.onnx.GraphTarget}; its inputs and outputs are named in
 * {@link org.resbench.backend.ort.onnx.GraphNames}. Building a graph is single-threaded and stateless across calls.
 */
package org.resbench.backend.ort.onnx;
