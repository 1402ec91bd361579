package org.resbench.harness.spec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec-name grammar, in one place: {@link #parse} reads a name, {@link #format} writes the canonical
 * one, and {@code parse(format(a))} equals {@code a}. Stateless and thread-safe.
 *
 * <pre>
 * plain-D                                  D = 6n+2: He et al. CIFAR plain net
 * resnet-D [-b] [-sd[P]]                   D = 6n+2: option A (default) or B shortcuts; stochastic depth
 *                                          with linear decay to p_L = P (default 0.5)
 * resnet-D-bottleneck [-a]                 D = 9n+2: bottleneck blocks, option B (default) or A
 * resnext-D-CxWd                           D = 9n+2: cardinality C, bottleneck width W (ResNeXt-29: D = 29)
 * mlp-DxW-(ff|res) [-bn] [-post] [-bias] [-lecun]
 *                                          D blocks of width W, feedforward or residual; -bn adds BatchNorm;
 *                                          -post puts it after the linear layer (default: pre-activation);
 *                                          -bias draws biases N(0, 1/fan-in) (default zero); -lecun draws
 *                                          weights N(0, 1/fan-in) (default He, N(0, 2/fan-in))
 * any family: [-inS] [-outK]               input shape S (3x32x32 for CNNs, 1 for MLPs), K outputs
 *                                          (10 classes for CNNs, 1 for MLPs)
 * </pre>
 *
 * Options may come in any order; the canonical name writes them in the order above and leaves out defaults.
 */
public final class SpecNames {
  private SpecNames() {}

  /** Example names, one or more per family, for help texts. */
  public static final List<String> EXAMPLES = List.of(
      "plain-20", "resnet-20", "resnet-56", "resnet-110-b", "resnet-110-sd", "resnet-110-sd0.8",
      "resnet-164-bottleneck", "resnext-29-8x64d", "resnext-29-4x16d", "mlp-50x200-res-bn", "mlp-24x200-ff-bn",
      "mlp-8x200-ff-bias", "resnet-20-in1x28x28");

  /** A short statement of the grammar for error messages and help. */
  public static final String GRAMMAR = "plain-D | resnet-D[-b][-sd[P]] | resnet-D-bottleneck[-a] | resnext-D-CxWd"
      + " | mlp-DxW-(ff|res)[-bn][-post][-bias][-lecun], each optionally followed by -in<shape> and -out<K>";

  private static final Pattern MLP_SIZE = Pattern.compile("(\\d+)x(\\d+)");
  private static final Pattern RESNEXT_SIZE = Pattern.compile("(\\d+)x(\\d+)d");
  private static final Pattern SD = Pattern.compile("sd([0-9.]*)");

  /** Builds the spec a name stands for. */
  public static ModelSpec build(String name) {
    return parse(name).build();
  }

  /** Parses a name into an architecture; an {@link IllegalArgumentException} says what is wrong and what is allowed. */
  public static Architecture parse(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("spec name is empty; allowed: " + GRAMMAR);
    }
    List<String> tokens = new ArrayList<>(Arrays.asList(name.trim().toLowerCase().split("-")));
    String family = tokens.remove(0);
    try {
      // Common options first: input shape and output count.
      Shape input = null;
      Integer outputs = null;
      List<String> rest = new ArrayList<>();
      for (String t : tokens) {
        if (t.startsWith("in") && t.length() > 2 && Character.isDigit(t.charAt(2))) {
          input = Shape.parse(t.substring(2));
        } else if (t.startsWith("out") && t.length() > 3) {
          outputs = number(name, "out", t.substring(3));
        } else {
          rest.add(t);
        }
      }
      return switch (family) {
        case "plain" -> parsePlain(name, rest, input, outputs);
        case "resnet" -> parseResNet(name, rest, input, outputs);
        case "resnext" -> parseResNeXt(name, rest, input, outputs);
        case "mlp" -> parseMlp(name, rest, input, outputs);
        default -> throw new IllegalArgumentException("unknown family '" + family
            + "'; allowed: plain, resnet, resnext, mlp");
      };
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("spec '" + name + "': " + e.getMessage() + " (grammar: " + GRAMMAR
          + "; examples: " + String.join(", ", EXAMPLES) + ")", e);
    }
  }

  private static Architecture parsePlain(String name, List<String> t, Shape in, Integer out) {
    int depth = depth(name, t);
    if (t.contains("b")) {
      throw new IllegalArgumentException("shortcut=B on a plain net; allowed: plain nets have no projection shortcuts");
    }
    if (!t.isEmpty()) {
      throw unknown(t.get(0), "in<shape>, out<K>");
    }
    return new Architecture.CifarResNet(depth, false, Architecture.Shortcut.A, 1.0,
        in == null ? Architecture.CIFAR_INPUT : in, out == null ? Architecture.CIFAR_CLASSES : out);
  }

  private static Architecture parseResNet(String name, List<String> t, Shape in, Integer out) {
    int depth = depth(name, t);
    Shape input = in == null ? Architecture.CIFAR_INPUT : in;
    int classes = out == null ? Architecture.CIFAR_CLASSES : out;
    if (t.remove("bottleneck")) {
      Architecture.Shortcut sc = t.remove("a") ? Architecture.Shortcut.A : Architecture.Shortcut.B;
      t.remove("b");
      if (!t.isEmpty()) {
        throw unknown(t.get(0), "a (option-A shortcuts), in<shape>, out<K>");
      }
      return new Architecture.BottleneckResNet(depth, sc, input, classes);
    }
    Architecture.Shortcut sc = Architecture.Shortcut.A;
    double pL = 1.0;
    for (String tok : t) {
      Matcher sd = SD.matcher(tok);
      if (tok.equals("b")) {
        sc = Architecture.Shortcut.B;
      } else if (tok.equals("a")) {
        sc = Architecture.Shortcut.A;
      } else if (sd.matches()) {
        pL = sd.group(1).isEmpty() ? 0.5 : decimal(name, "sd", sd.group(1));
      } else {
        throw unknown(tok, "b (option-B shortcuts), sd[P] (stochastic depth, p_L = P, default 0.5), bottleneck,"
            + " in<shape>, out<K>");
      }
    }
    return new Architecture.CifarResNet(depth, true, sc, pL, input, classes);
  }

  private static Architecture parseResNeXt(String name, List<String> t, Shape in, Integer out) {
    int depth = depth(name, t);
    if (t.isEmpty()) {
      throw new IllegalArgumentException("missing cardinality and width; allowed: resnext-D-CxWd, e.g. "
          + "resnext-29-8x64d");
    }
    Matcher m = RESNEXT_SIZE.matcher(t.remove(0));
    if (!m.matches()) {
      throw new IllegalArgumentException("cardinality and width must read CxWd, e.g. 8x64d");
    }
    if (!t.isEmpty()) {
      throw unknown(t.get(0), "in<shape>, out<K>");
    }
    return new Architecture.ResNeXt(depth, number(name, "cardinality", m.group(1)), number(name, "width", m.group(2)),
        in == null ? Architecture.CIFAR_INPUT : in, out == null ? Architecture.CIFAR_CLASSES : out);
  }

  private static Architecture parseMlp(String name, List<String> t, Shape in, Integer out) {
    if (t.isEmpty()) {
      throw new IllegalArgumentException("missing DxW; allowed: mlp-DxW-(ff|res), e.g. mlp-50x200-res-bn");
    }
    Matcher m = MLP_SIZE.matcher(t.remove(0));
    if (!m.matches()) {
      throw new IllegalArgumentException("depth and width must read DxW, e.g. 50x200");
    }
    Boolean residual = null;
    boolean bn = false;
    boolean post = false;
    InitScheme.BiasInit bias = new InitScheme.BiasInit.Zero();
    InitScheme.WeightInit weights = new InitScheme.WeightInit.HeNormal();
    for (String tok : t) {
      switch (tok) {
        case "ff" -> residual = false;
        case "res" -> residual = true;
        case "bn" -> bn = true;
        case "post" -> post = true;
        case "bias" -> bias = new InitScheme.BiasInit.LeCunNormal();
        case "lecun" -> weights = new InitScheme.WeightInit.LeCunNormal();
        default -> throw unknown(tok, "ff, res, bn, post, bias, lecun, in<shape>, out<K>");
      }
    }
    if (residual == null) {
      throw new IllegalArgumentException("missing 'ff' or 'res'; allowed: mlp-DxW-ff or mlp-DxW-res");
    }
    return new Architecture.Mlp(number(name, "depth", m.group(1)), number(name, "width", m.group(2)), residual, bn,
        !post, bias, weights, in == null ? Shape.of(1) : in, out == null ? 1 : out);
  }

  /** The canonical name of an architecture. */
  public static String format(Architecture a) {
    StringBuilder sb = new StringBuilder();
    Shape defaultIn = Architecture.CIFAR_INPUT;
    int defaultOut = Architecture.CIFAR_CLASSES;
    Shape in;
    int out;
    if (a instanceof Architecture.CifarResNet r) {
      sb.append(r.residual() ? "resnet-" : "plain-").append(r.depth());
      if (r.shortcut() == Architecture.Shortcut.B) {
        sb.append("-b");
      }
      if (r.finalSurvival() < 1) {
        sb.append("-sd");
        if (r.finalSurvival() != 0.5) {
          sb.append(plain(r.finalSurvival()));
        }
      }
      in = r.input();
      out = r.classes();
    } else if (a instanceof Architecture.BottleneckResNet r) {
      sb.append("resnet-").append(r.depth()).append("-bottleneck");
      if (r.shortcut() == Architecture.Shortcut.A) {
        sb.append("-a");
      }
      in = r.input();
      out = r.classes();
    } else if (a instanceof Architecture.ResNeXt r) {
      sb.append("resnext-").append(r.depth()).append('-').append(r.cardinality()).append('x').append(r.width())
          .append('d');
      in = r.input();
      out = r.classes();
    } else if (a instanceof Architecture.Mlp r) {
      sb.append("mlp-").append(r.depth()).append('x').append(r.width()).append(r.residual() ? "-res" : "-ff");
      if (r.batchNorm()) {
        sb.append("-bn");
      }
      if (!r.preActivation()) {
        sb.append("-post");
      }
      if (!(r.biases() instanceof InitScheme.BiasInit.Zero)) {
        if (!(r.biases() instanceof InitScheme.BiasInit.LeCunNormal)) {
          throw new IllegalArgumentException("mlp biases " + r.biases() + " have no name; allowed in names: zero or"
              + " N(0, 1/fan-in) (-bias)");
        }
        sb.append("-bias");
      }
      if (!(r.weights() instanceof InitScheme.WeightInit.HeNormal)) {
        if (!(r.weights() instanceof InitScheme.WeightInit.LeCunNormal)) {
          throw new IllegalArgumentException("mlp weights " + r.weights() + " have no name; allowed in names: He"
              + " or LeCun normal (-lecun)");
        }
        sb.append("-lecun");
      }
      in = r.input();
      out = r.outputs();
      defaultIn = Shape.of(1);
      defaultOut = 1;
    } else {
      throw new IllegalStateException("unhandled architecture " + a);
    }
    if (!in.equals(defaultIn)) {
      sb.append("-in").append(in);
    }
    if (out != defaultOut) {
      sb.append("-out").append(out);
    }
    return sb.toString();
  }

  private static int depth(String name, List<String> t) {
    if (t.isEmpty()) {
      throw new IllegalArgumentException("missing depth");
    }
    return number(name, "depth", t.remove(0));
  }

  private static int number(String name, String field, String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      if (text.matches("\\d+")) {
        throw new IllegalArgumentException(field + " " + text + " is too large; allowed: a positive integer up to "
            + Integer.MAX_VALUE);
      }
      throw new IllegalArgumentException(field + " '" + text + "' is not an integer; allowed: a positive integer");
    }
  }

  private static double decimal(String name, String field, String text) {
    try {
      return Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(field + " '" + text + "' is not a number; allowed: e.g. 0.5");
    }
  }

  private static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }

  private static IllegalArgumentException unknown(String token, String allowed) {
    return new IllegalArgumentException("unknown option '" + token + "'; allowed: " + allowed);
  }
}
