package ai.mirt.app;

/** A configuration value that stops startup; the message names the key and what is wrong with it. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
