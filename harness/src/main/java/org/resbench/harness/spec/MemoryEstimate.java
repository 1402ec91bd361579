package org.resbench.harness.spec;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How much memory a piece of work on a spec needs at least, from the cost model (parameters, activations at the
 * batch size, the engine's convolution workspace), and the check every command runs before it builds anything:
 * {@link #require}. The figures are deliberately lower bounds, so a refusal means the work cannot fit, never that
 * it might not: the tensors themselves without allocator slack; inference holds the weights and the largest
 * activation twice (a layer's input and output); gradients and training hold every activation once (the backward
 * pass needs them) and two (weights, gradients) or three (and momentum) copies of the weights; the convolution
 * workspace is the largest layer's im2col patches for an eighth of the batch; an export holds the weights drawn in
 * Java, the graph's initializers and the serialized file.
 *
 * <p>Two budgets are checked: the Java heap ({@code -Xmx}), which holds the spec, the weights drawn in Java, the
 * input batches and, for the pure-Java {@code reference} backend, every tensor in float64; and the machine's
 * physical memory, which must hold the heap part plus what a native engine (ONNX Runtime, PyTorch) allocates.
 * Immutable.
 *
 * @param subject what is estimated, for messages (e.g. {@code resnet-20 training at batch 128 on ort-cpu})
 * @param heapBytes bytes on the Java heap
 * @param nativeBytes bytes outside the heap (native engines)
 * @param breakdown where the bytes go, for messages
 */
public record MemoryEstimate(String subject, long heapBytes, long nativeBytes, String breakdown) {

  /** What is done with a spec. */
  public enum Workload {
    /** Inference forward passes. */
    INFERENCE("inference"),
    /** Forward and backward passes for gradients (no update). */
    GRADIENTS("gradients"),
    /** Training steps: forward, backward, SGD with momentum. */
    TRAINING("training"),
    /** Writing the spec with its weights as an interchange file (ONNX). */
    EXPORT("export");

    private final String label;

    Workload(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * A piece of work a command or experiment will do, declared before it starts so its memory can be checked.
   *
   * @param spec the spec
   * @param batch examples per call
   * @param workload what is done with it
   */
  public record Work(ModelSpec spec, long batch, Workload workload) {}

  /** Bytes a spec object takes per block at most (measured: 0.6 to 3.3 KiB; hashing and probes double it). */
  static final long SPEC_BYTES_PER_BLOCK = 8 << 10;

  /**
   * The budgets work is checked against.
   *
   * @param heapBytes the JVM's maximum heap
   * @param physicalBytes the machine's (or container's) physical memory
   */
  public record Limits(long heapBytes, long physicalBytes) {
    /** This JVM's maximum heap and this machine's physical memory. */
    public static Limits ofThisMachine() {
      long heap = Runtime.getRuntime().maxMemory();
      long physical = Long.MAX_VALUE;
      if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
        long total = os.getTotalMemorySize();
        if (total > 0) {
          physical = total;
        }
      }
      return new Limits(heap, physical);
    }
  }

  /**
   * Refuses, before anything is built, a spec whose object alone cannot fit in a quarter of the heap: a spec
   * with {@code blocks} blocks takes up to {@value #SPEC_BYTES_PER_BLOCK} bytes per block.
   *
   * @throws IllegalArgumentException naming the estimate and the limit
   */
  public static void requireBuildable(String name, long blocks) {
    requireBuildable(name, blocks, Limits.ofThisMachine());
  }

  /** {@link #requireBuildable(String, long)} against given limits. */
  public static void requireBuildable(String name, long blocks, Limits limits) {
    long bytes = saturatingMultiply(blocks, SPEC_BYTES_PER_BLOCK);
    long limit = limits.heapBytes() / 4;
    if (bytes > limit) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "spec '%s' is too large: its %s blocks alone"
          + " need about %s of Java heap to describe, before any weights; the limit is %s (a quarter of the JVM's"
          + " maximum heap, -Xmx %s); allowed: at most %,d blocks here", name, count(blocks), bytes(bytes),
          bytes(limit), bytes(limits.heapBytes()), limit / SPEC_BYTES_PER_BLOCK));
    }
  }

  /**
   * The memory {@code workload} on {@code spec} at {@code batch} examples needs at least.
   *
   * @param onHeap whether the engine computes on the Java heap in float64 (the reference backend)
   * @param where the backend's name for messages, or null
   */
  public static MemoryEstimate of(ModelSpec spec, long batch, Workload workload, boolean onHeap, String where) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch=" + batch + "; allowed: 1 or more");
    }
    long params = 0;
    for (ParameterSpec p : spec.parameters()) {
      params = saturatingAdd(params, p.shape().elements());
    }
    long perExample = 0;
    long largest = spec.inputShape().elements();
    Shape s = spec.inputShape();
    for (ProbePoint p : spec.probePoints()) {
      long n = p.shape().elements();
      perExample = saturatingAdd(perExample, n);
      largest = Math.max(largest, n);
    }
    long patches = 0;
    Shape in = spec.inputShape();
    for (Layer l : spec.stem()) {
      patches = Math.max(patches, patchElements(l, in));
      in = l.outputShape(in);
    }
    for (int b = 0; b < spec.blocks().size(); b++) {
      Block blk = spec.blocks().get(b);
      Shape x = spec.blockInputShape(b);
      for (Layer l : blk.branch()) {
        patches = Math.max(patches, patchElements(l, x));
        x = l.outputShape(x);
      }
    }
    long input = saturatingMultiply(batch, s.elements());
    long width = onHeap ? 8 : 4; // the reference computes in float64

    List<String> parts = new ArrayList<>();
    long heap = saturatingMultiply(spec.blocks().size() + 1L, SPEC_BYTES_PER_BLOCK / 4);
    long state = saturatingMultiply(params, 4);
    heap = saturatingAdd(heap, state);
    parts.add("weights " + count(params) + " values, " + bytes(state));
    long inputBytes = saturatingMultiply(input, 4);
    long compute;
    long copies;
    long activations;
    switch (workload) {
      case INFERENCE -> {
        copies = 1;
        activations = saturatingMultiply(saturatingMultiply(batch, largest), 2 * width);
      }
      case GRADIENTS -> {
        copies = 2; // weights and their gradients
        // every activation is kept for the backward pass
        activations = saturatingMultiply(saturatingMultiply(batch, perExample), width);
      }
      case TRAINING -> {
        copies = 3; // weights, gradients, momentum
        activations = saturatingMultiply(saturatingMultiply(batch, perExample), width);
      }
      case EXPORT -> {
        copies = 2; // the graph's initializers and the serialized file, both on the heap
        activations = 0;
        inputBytes = 0;
      }
      default -> throw new IllegalStateException("unhandled workload " + workload);
    }
    long weights = saturatingMultiply(saturatingMultiply(params, copies), workload == Workload.EXPORT ? 4 : width);
    // Engines form a convolution's patches (im2col) for a slice of the batch at a time (ONNX Runtime's CPU graphs:
    // an eighth); count one slice.
    long workspace = workload == Workload.EXPORT ? 0
        : saturatingMultiply(saturatingMultiply((batch + 7) / 8, patches), width);
    compute = saturatingAdd(saturatingAdd(weights, activations), workspace);
    if (inputBytes > 0) {
      parts.add("input batch " + bytes(inputBytes));
      heap = saturatingAdd(heap, inputBytes);
    }
    parts.add(workload.label() + ": " + copies + " weight cop" + (copies == 1 ? "y " : "ies ") + bytes(weights)
        + (activations > 0 ? ", activations " + bytes(activations) + " (" + count(perExample) + " values per example"
        + " at batch " + count(batch) + ")" : "")
        + (workspace > 0 ? ", convolution workspace " + bytes(workspace) : ""));
    long nativeBytes = 0;
    if (onHeap || workload == Workload.EXPORT) {
      heap = saturatingAdd(heap, compute);
    } else {
      nativeBytes = compute;
    }
    String subject = spec.name() + " " + workload.label() + (workload == Workload.EXPORT ? "" : " at batch "
        + count(batch)) + (where == null ? "" : " on " + where);
    return new MemoryEstimate(subject, heap, nativeBytes, String.join("; ", parts));
  }

  /**
   * Estimates that are held at the same time (e.g. sessions open side by side), as one: their bytes add up, and
   * the breakdown lists each part's total.
   *
   * @param subject what they are together, for messages
   */
  public static MemoryEstimate together(String subject, List<MemoryEstimate> parts) {
    long heap = 0;
    long nat = 0;
    List<String> each = new ArrayList<>();
    for (MemoryEstimate e : parts) {
      heap = saturatingAdd(heap, e.heapBytes());
      nat = saturatingAdd(nat, e.nativeBytes());
      each.add(e.subject() + ": " + bytes(e.totalBytes()));
    }
    return new MemoryEstimate(subject, heap, nat, String.join("; ", each));
  }

  /** This estimate and {@code o} held at the same time. */
  public MemoryEstimate plus(MemoryEstimate o) {
    return together(subject + " with " + o.subject, List.of(this, o));
  }

  /** Heap and native bytes together: what must fit in physical memory. */
  public long totalBytes() {
    return saturatingAdd(heapBytes, nativeBytes);
  }

  /** {@link #require(Limits)} against this JVM and machine. */
  public MemoryEstimate require() {
    return require(Limits.ofThisMachine());
  }

  /**
   * Refuses work that cannot fit: more than the maximum heap on the heap, or more than the physical memory in
   * all.
   *
   * @throws IllegalArgumentException with the estimate, the limit and what to change
   */
  public MemoryEstimate require(Limits limits) {
    String smaller = subject.contains(" at batch ") ? "a smaller model or batch" : "a smaller model";
    if (totalBytes() > limits.physicalBytes()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs at least %s of memory (%s); the limit"
          + " is %s (this machine's physical memory); allowed: %s", subject, bytes(totalBytes()), breakdown,
          bytes(limits.physicalBytes()), smaller));
    }
    if (heapBytes > limits.heapBytes()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%s needs at least %s of Java heap (%s); the"
          + " limit is %s (the JVM's maximum heap); allowed: %s, or a larger heap with RESBENCH_JAVA_OPTS=-Xmx<size>"
          + " (this machine has %s)", subject, bytes(heapBytes), breakdown, bytes(limits.heapBytes()), smaller,
          bytes(limits.physicalBytes())));
    }
    return this;
  }

  /** Elements of the im2col patches a convolution forms for one example (engines' CPU workspace). */
  private static long patchElements(Layer l, Shape in) {
    if (l instanceof Conv2d c && c.kernel() > 1) {
      Shape out = c.outputShape(in);
      return saturatingMultiply(saturatingMultiply(c.fanIn(), out.dim(1)), (long) out.dim(2) * c.groups());
    }
    return 0;
  }

  /** {@code a * b}, or {@link Long#MAX_VALUE} when it would overflow (sizes are never negative). */
  public static long saturatingMultiply(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {@code a + b}, or {@link Long#MAX_VALUE} when it would overflow. */
  public static long saturatingAdd(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** {@code 1.5 GiB}, {@code 12 MiB}; "more than 8 EiB" for a saturated figure. */
  public static String bytes(long b) {
    if (b == Long.MAX_VALUE) {
      return "more than 8 EiB (too large to count)";
    }
    if (b >= 1L << 40) {
      return String.format(Locale.ROOT, "%.1f TiB", b / (double) (1L << 40));
    }
    if (b >= 1L << 30) {
      return String.format(Locale.ROOT, "%.1f GiB", b / (double) (1L << 30));
    }
    if (b >= 1L << 20) {
      return String.format(Locale.ROOT, "%.1f MiB", b / (double) (1L << 20));
    }
    return String.format(Locale.ROOT, "%,d bytes", b);
  }

  private static String count(long n) {
    return n == Long.MAX_VALUE ? "too many to count" : String.format(Locale.ROOT, "%,d", n);
  }
}
