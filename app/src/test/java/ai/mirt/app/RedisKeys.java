package ai.mirt.app;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The few Redis commands the process tests need besides Mirt itself: is a server answering, and how many keys (and
 * which) live under a test's prefix. A blocking RESP2 client on a plain socket, so the tests depend on nothing but the
 * server.
 */
final class RedisKeys {

  /** The Redis every project test shares (CI starts it): tests keep to a key prefix of their own there. */
  static final int DEFAULT_PORT = 6379;
  static final String DEFAULT_URL = "redis://127.0.0.1:" + DEFAULT_PORT + "/0";

  private static final String COUNT = "return #redis.call('KEYS', ARGV[1])";
  private static final String DELETE =
    "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do n = n + redis.call('DEL', k) end return n";

  private RedisKeys() {
  }

  /** {@code true} when a Redis server answers PING on 127.0.0.1:{@code port}. */
  static boolean answers(int port) {
    try {
      return "PONG".equals(command(port, "PING"));
    } catch (IOException e) {
      return false;
    }
  }

  /** How many keys start with {@code prefix}. */
  static long count(int port, String prefix) throws IOException {
    return (Long) command(port, "EVAL", COUNT, "0", glob(prefix));
  }

  /** Deletes every key that starts with {@code prefix}; returns how many there were. */
  static long delete(int port, String prefix) throws IOException {
    return (Long) command(port, "EVAL", DELETE, "0", glob(prefix));
  }

  private static String glob(String prefix) {
    return prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
  }

  private static Object command(int port, String... args) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      s.setSoTimeout(5_000);
      OutputStream out = s.getOutputStream();
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        req.writeBytes(("$" + b.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        req.writeBytes(b);
        req.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.write(req.toByteArray());
      out.flush();
      return read(new BufferedInputStream(s.getInputStream()));
    }
  }

  private static Object read(InputStream in) throws IOException {
    int type = in.read();
    String line = line(in);
    switch (type) {
      case '+':
        return line;
      case ':':
        return Long.parseLong(line);
      case '-':
        throw new IOException("Redis answered: " + line);
      case '$': {
        int n = Integer.parseInt(line);
        if (n < 0) {
          return null;
        }
        byte[] b = in.readNBytes(n + 2);
        return new String(b, 0, n, StandardCharsets.UTF_8);
      }
      default:
        throw new IOException("unexpected Redis answer: " + (char) type + line);
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\r') {
      sb.append((char) c);
    }
    if (c == -1) {
      throw new IOException("Redis closed the connection");
    }
    in.read();
    return sb.toString();
  }
}
