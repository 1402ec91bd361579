package org.resbench.backend.ort.onnx;

import java.util.List;
import org.resbench.harness.spec.BatchNorm;
import org.resbench.harness.spec.Block;
import org.resbench.harness.spec.Conv2d;
import org.resbench.harness.spec.Linear;
import org.resbench.harness.spec.Shape;
import org.resbench.harness.spec.SubsamplePad;

/**
 * What {@link ForwardPass} records for {@link BackwardPass}: one record per layer application, nested per block, with
 * the graph values its vector-Jacobian product needs. Records are immutable values naming graph values of one graph.
 */
final class Tape {
  private Tape() {}

  /** One recorded layer application. */
  sealed interface Rec permits ConvRec, BnRec, ReluRec, LinearRec, GapRec, FlattenRec, SubsampleRec, BlockRec {}

  /** A convolution of {@code x} (blocked, or plain NCHW) of per-example shape {@code in} giving {@code out}. */
  record ConvRec(Conv2d conv, String x, Shape in, Shape out) implements Rec {}

  /**
   * A BatchNorm application. INFERENCE: {@code mean} and {@code var} are the running statistics [C]; the other
   * fields are null. TRAIN: {@code mean} and {@code var} are the batch statistics [C], {@code centred} is
   * {@code x - mean} and {@code inv} is 1/sqrt(var + eps) shaped to broadcast ([1, C, 1, 1] or [1, C]).
   */
  record BnRec(BatchNorm bn, String x, Shape in, String mean, String var, String centred, String inv)
      implements Rec {}

  /** A ReLU with output {@code y}. */
  record ReluRec(String y) implements Rec {}

  /** A fully connected layer of input {@code x}. */
  record LinearRec(Linear linear, String x) implements Rec {}

  /** A global average pool; {@code blocked}: its input was blocked. */
  record GapRec(Shape in, boolean blocked) implements Rec {}

  /** A Flatten of a spatial tensor; {@code blocked}: its input was blocked (and converted to NCHW first). */
  record FlattenRec(Shape in, boolean blocked) implements Rec {}

  /** The option-A shortcut's strided subsample and zero-padded channels. */
  record SubsampleRec(SubsamplePad pad, Shape in, Shape out) implements Rec {}

  /**
   * A block: its three layer lists, and whether its shortcut ran (see {@link ForwardPass}). {@code condition}: null,
   * or the bool value {@code gate != 0} on which the branch and post ran inside an ONNX {@code If} (the branch's values
   * then belong to that {@code If}'s then-branch; see {@link GraphBuilder#beginIf}).
   */
  record BlockRec(Block block, List<Rec> branch, List<Rec> shortcut, List<Rec> post, boolean shortcutRun,
      String condition) implements Rec {}

  /** Every graph value that {@code tape} names (nested blocks included), in order, with repeats. */
  static List<String> values(List<Rec> tape) {
    List<String> out = new java.util.ArrayList<>();
    for (Rec r : tape) {
      if (r instanceof ConvRec c) {
        out.add(c.x());
      } else if (r instanceof BnRec b) {
        out.addAll(java.util.Arrays.asList(b.x(), b.mean(), b.var(), b.centred(), b.inv()));
      } else if (r instanceof ReluRec relu) {
        out.add(relu.y());
      } else if (r instanceof LinearRec l) {
        out.add(l.x());
      } else if (r instanceof BlockRec b) {
        out.addAll(values(b.branch()));
        out.addAll(values(b.shortcut()));
        out.addAll(values(b.post()));
      }
    }
    return out;
  }

  /** A BatchNorm application in a training step, whose running statistics the step updates. */
  record BnStat(BatchNorm bn, int branchOf, Shape in, String batchMean, String batchVar) {}
}
