package ai.mirt.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads the shop's files from {@code conf/}: the file at the configured path when it exists, else, only for the
 * default path, the copy built into the jar. A shop that names its own file is never answered from the demo.
 */
final class ShopFiles {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ShopFiles() {
  }

  /**
   * The text of the file.
   *
   * @param setting     the setting that names the file, for error messages
   * @param defaultPath the setting's default; only this path falls back to the built-in copy
   * @throws IllegalStateException naming the setting when the file is missing or unreadable
   */
  static String read(String setting, String path, String defaultPath) {
    try {
      if (path != null && !path.isBlank() && Files.isRegularFile(Path.of(path))) {
        return Files.readString(Path.of(path), StandardCharsets.UTF_8);
      }
      if (!defaultPath.equals(path)) {
        throw new IllegalStateException(setting + ": no file at '" + path + "'");
      }
      try (InputStream in = ShopFiles.class.getResourceAsStream("/" + defaultPath)) {
        if (in == null) {
          throw new IllegalStateException(setting + ": no file at '" + path + "' and no built-in /" + defaultPath
            + " on the classpath");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new IllegalStateException(setting + ": cannot read '" + path + "': " + e.getMessage(), e);
    }
  }

  /** YAML (or JSON, which is YAML) text as a JSON object. */
  @SuppressWarnings("unchecked")
  static JsonObject yaml(String setting, String path, String text) {
    try {
      Object tree = YAML.readValue(text, Object.class);
      if (!(tree instanceof Map)) {
        throw new IllegalStateException(setting + ": '" + path + "' must hold a mapping at the top");
      }
      return new JsonObject((Map<String, Object>) tree);
    } catch (IOException e) {
      throw new IllegalStateException(setting + ": '" + path + "' is not valid YAML: " + e.getMessage(), e);
    }
  }
}
