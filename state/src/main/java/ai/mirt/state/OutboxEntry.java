package ai.mirt.state;

import ai.mirt.common.Reply;

/**
 * A claimed reply.
 *
 * @param accepted      how many of its ManyChat calls were accepted before: delivery resumes after them
 * @param attempts      failed attempts so far (they set the backoff; age, not attempts, ends the retries)
 * @param timeouts      sendContent calls of this reply that timed out, so may have been delivered
 * @param storedAt      epoch millis (the store's clock) when the reply was stored: its age counts from then
 * @param lastInboundAt epoch millis (the store's clock) of the subscriber's latest accepted message; 0 when unknown
 * @param claim         the token of this claim; a step with a token that is no longer current changes nothing
 */
public record OutboxEntry(Reply reply, int accepted, int attempts, int timeouts, long storedAt, long lastInboundAt,
                          String claim) {

  public String subscriberId() {
    return reply.subscriberId();
  }

  public String turnId() {
    return reply.turnId();
  }
}
