package ai.mirt.state;

import ai.mirt.common.Reply;

/**
 * A claimed reply.
 *
 * @param accepted how many of its ManyChat calls were accepted before: delivery resumes after them
 * @param attempts failed attempts so far
 * @param claim    the token of this claim; a step with a token that is no longer current changes nothing
 */
public record OutboxEntry(Reply reply, int accepted, int attempts, String claim) {

  public String subscriberId() {
    return reply.subscriberId();
  }

  public String turnId() {
    return reply.turnId();
  }
}
