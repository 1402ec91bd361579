package org.resbench.results;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The project's one JSON form, for records and for the CLI's {@code --json} output: pretty-printed, map keys
 * sorted, unknown fields ignored on reading. {@link ExperimentData} is written with a {@code type} field
 * naming its {@link ResultType} plug-in and read back through the installed plug-ins ({@link ResultTypes});
 * data of an unknown type is read as {@link UnknownData} instead of failing. Thread-safe.
 */
public final class JsonCodec {
  /** Configured like {@link #MAPPER} but without the data module: the data records' own fields. */
  private static final ObjectMapper PLAIN = configure(new ObjectMapper());
  private static final ObjectMapper MAPPER = configure(new ObjectMapper()).registerModule(new SimpleModule("data")
      .addSerializer(ExperimentData.class, new DataSerializer())
      .addDeserializer(ExperimentData.class, new DataDeserializer()));
  private static final ObjectMapper CANONICAL = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private JsonCodec() {}

  private static ObjectMapper configure(ObjectMapper m) {
    return m.enable(SerializationFeature.INDENT_OUTPUT)
        .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed " + type.getSimpleName() + " JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** 16 hex digits of SHA-256 over the compact, key-sorted JSON of {@code value}. */
  public static String hash(Object value) {
    try {
      byte[] bytes = CANONICAL.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 16);
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash " + value.getClass().getSimpleName(), e);
    }
  }

  /** Writes {@code {"type": NAME, ...fields}}; unknown data exactly as it was read. */
  private static final class DataSerializer extends JsonSerializer<ExperimentData> {
    @Override
    public void serialize(ExperimentData value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      if (value instanceof UnknownData u) {
        gen.writeTree(u.json());
        return;
      }
      ResultType<?> type = ResultTypes.installed().byDataClass(value.getClass()).orElseThrow(
          () -> new IllegalStateException("no experiment plug-in registers the data class "
              + value.getClass().getName() + "; register its ResultType in META-INF/services"));
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("type", type.name());
      out.setAll((ObjectNode) PLAIN.valueToTree(value));
      gen.writeTree(out);
    }
  }

  /** Reads through the plug-in named by {@code type}, or keeps the JSON as {@link UnknownData}. */
  private static final class DataDeserializer extends JsonDeserializer<ExperimentData> {
    @Override
    public ExperimentData deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = p.readValueAsTree();
      if (!(tree instanceof ObjectNode obj)) {
        throw ctxt.weirdStringException(String.valueOf(tree), ExperimentData.class,
            "experiment data must be a JSON object with a 'type' field");
      }
      String type = obj.hasNonNull("type") ? obj.get("type").asText() : null;
      ResultType<?> known = type == null ? null : ResultTypes.installed().byName(type).orElse(null);
      if (known == null) {
        return new UnknownData(type, obj);
      }
      ObjectNode fields = obj.deepCopy();
      fields.remove("type");
      return PLAIN.treeToValue(fields, known.dataClass());
    }
  }
}
