package ai.mirt.common;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands an immutable record to a consumer of the same process as it is: no JSON, no copy. Only for local addresses
 * ({@link Addresses#INBOUND_MESSAGE_LOCAL}); what crosses the cluster goes as JSON, so this codec never writes to the
 * wire.
 *
 * @param <T> a record whose components do not change after construction
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  private final Class<T> type;

  private LocalCodec(Class<T> type) {
    this.type = type;
  }

  /** Makes {@code type} travel as itself on this event bus; a second registration (another verticle) is a no-op. */
  public static <T> void register(EventBus bus, Class<T> type) {
    try {
      bus.registerDefaultCodec(type, new LocalCodec<>(type));
    } catch (IllegalStateException alreadyRegistered) {
      // Every verticle that sends or receives the type registers it; the first one did.
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(type.getSimpleName() + " only travels to consumers of its own process");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(type.getSimpleName() + " only travels to consumers of its own process");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return "mirt.local." + type.getName();
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
