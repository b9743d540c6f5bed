package ai.mirt.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Rules for image URLs that customers send: where they may point, and which texts are really images. */
public final class ImageUrls {

  private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
  private static final Pattern NUMERIC_HOST = Pattern.compile("^(0x[0-9a-f]+|\\d+)(\\.(0x[0-9a-f]+|\\d+))*$");
  private static final Pattern LEADING_NOISE = Pattern.compile("^[\\s.;]*");
  private static final String[] INSTAGRAM_CDN = {"fbcdn.net", "fbsbx.com", "cdninstagram.com"};

  private ImageUrls() {
  }

  /**
   * Why the URL is refused, or empty when it is acceptable: it must be {@code https} with a host that is not
   * {@code localhost} nor a literal loopback, private, link-local or unspecified address. Host names are not
   * resolved: the agent and ManyChat fetch images, Mirt only refuses what is plainly internal.
   */
  public static Optional<String> problem(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      return Optional.of("image URL is not a valid URL");
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      return Optional.of("image URL must use https");
    }
    String host = uri.getHost();
    if (host == null || host.isBlank()) {
      return Optional.of("image URL has no host");
    }
    // A trailing dot names the same host ("localhost." is localhost).
    String h = host.toLowerCase(Locale.ROOT).replaceAll("\\.+$", "");
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return Optional.of("image URL must not point to localhost");
    }
    if (NUMERIC_HOST.matcher(h).matches() && !IPV4.matcher(h).matches()) {
      // 2130706433, 0x7f.1 and 127.1 are other spellings of addresses; no public image host is written so.
      return Optional.of("image URL must use a host name or a dotted IPv4 address");
    }
    if (IPV4.matcher(h).matches() || h.startsWith("[")) {
      try {
        InetAddress a = InetAddress.getByName(h.startsWith("[") ? h.substring(1, h.length() - 1) : h);
        if (internal(a)) {
          return Optional.of("image URL must not point to a private, loopback or link-local address");
        }
      } catch (UnknownHostException e) {
        return Optional.of("image URL has an invalid address");
      }
    }
    return Optional.empty();
  }

  private static boolean internal(InetAddress a) {
    if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
      || a.isMulticastAddress()) {
      return true;
    }
    if (a instanceof Inet6Address) {
      // Unique local addresses (fc00::/7) are IPv6's private range; Java does not count them as site-local.
      return (a.getAddress()[0] & 0xfe) == 0xfc;
    }
    if (a instanceof Inet4Address) {
      byte[] b = a.getAddress();
      // 100.64.0.0/10 (carrier-grade NAT) is private too.
      return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
    return false;
  }

  /**
   * The image URL when the whole text is nothing but an Instagram CDN URL (possibly after a leading {@code .;}
   * that ManyChat keyword triggers leave); that is how Instagram forwards a photo as text.
   */
  public static Optional<String> instagramImageText(String text) {
    if (text == null || text.indexOf(':') < 0) {
      // No scheme, no URL: most messages end here without a pattern run.
      return Optional.empty();
    }
    String t = LEADING_NOISE.matcher(text).replaceFirst("").trim();
    if (t.isEmpty() || t.chars().anyMatch(Character::isWhitespace)) {
      return Optional.empty();
    }
    try {
      URI uri = new URI(t);
      String host = uri.getHost();
      if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).startsWith("http") || host == null) {
        return Optional.empty();
      }
      String h = host.toLowerCase(Locale.ROOT);
      for (String cdn : INSTAGRAM_CDN) {
        if (h.equals(cdn) || h.endsWith("." + cdn)) {
          return Optional.of(t);
        }
      }
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
