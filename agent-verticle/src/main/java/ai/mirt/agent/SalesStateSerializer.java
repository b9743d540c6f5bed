package ai.mirt.agent;

import org.bsc.langgraph4j.serializer.StateSerializer;

import java.io.IOException;
import java.io.ObjectInput;
import java.io.ObjectOutput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the {@link SalesState} as what it is made of: strings, whole numbers and lists of strings, each tagged, in
 * UTF-8. The graph copies its state through its serializer at every step; Java serialization of the map (the
 * default) was a large share of a turn's own cost, this is a few array copies. Any other value is refused: a node
 * that puts one in the state is a bug to see at once.
 */
final class SalesStateSerializer extends StateSerializer<SalesState> {

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte INT = 2;
  private static final byte STRINGS = 3;

  SalesStateSerializer() {
    super(SalesState::new);
  }

  @Override
  public void writeData(Map<String, Object> data, ObjectOutput out) throws IOException {
    out.writeInt(data.size());
    for (Map.Entry<String, Object> e : data.entrySet()) {
      writeString(out, e.getKey());
      Object v = e.getValue();
      if (v == null) {
        out.writeByte(NULL);
      } else if (v instanceof String s) {
        out.writeByte(STRING);
        writeString(out, s);
      } else if (v instanceof Integer i) {
        out.writeByte(INT);
        out.writeInt(i);
      } else if (v instanceof List<?> list) {
        out.writeByte(STRINGS);
        out.writeInt(list.size());
        for (Object item : list) {
          if (!(item instanceof String s)) {
            throw new IOException("state value '" + e.getKey() + "' holds a " + type(item) + ", not a string");
          }
          writeString(out, s);
        }
      } else {
        throw new IOException("state value '" + e.getKey() + "' is a " + type(v)
          + "; the sales state holds strings, whole numbers and lists of strings");
      }
    }
  }

  @Override
  public Map<String, Object> readData(ObjectInput in) throws IOException {
    int size = in.readInt();
    Map<String, Object> data = new HashMap<>(size * 2);
    for (int i = 0; i < size; i++) {
      String key = readString(in);
      byte tag = in.readByte();
      data.put(key, switch (tag) {
        case NULL -> null;
        case STRING -> readString(in);
        case INT -> in.readInt();
        case STRINGS -> {
          int n = in.readInt();
          List<String> list = new ArrayList<>(n);
          for (int j = 0; j < n; j++) {
            list.add(readString(in));
          }
          yield list;
        }
        default -> throw new IOException("unknown state value tag " + tag + " for '" + key + "'");
      });
    }
    return data;
  }

  private static void writeString(ObjectOutput out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static String readString(ObjectInput in) throws IOException {
    byte[] bytes = new byte[in.readInt()];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static String type(Object o) {
    return o == null ? "null" : o.getClass().getSimpleName();
  }
}
