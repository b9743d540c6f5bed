package ai.mirt.agent;

import ai.mirt.common.Commands;
import ai.mirt.common.MirtConfig;
import ai.mirt.common.OutMessage;
import ai.mirt.common.Turn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sales assistant as one object: the shop, the catalog, the writer and the graph, built from the agent's
 * settings. The agent verticle and {@code eval} both answer through it, so a scripted conversation checks exactly
 * what customers get. Thread-safe; {@link #answer} blocks.
 */
public final class Assistant {

  private final SalesGraph graph;
  private final Shop shop;
  private final CatalogSource catalog;
  private final int historyMessages;

  private final Writer writer;

  public Assistant(SalesGraph graph, Shop shop, CatalogSource catalog, int historyMessages, Writer writer) {
    this.writer = writer;
    this.graph = graph;
    this.shop = shop;
    this.catalog = catalog;
    this.historyMessages = historyMessages;
  }

  /**
   * From the agent settings: the offline assistant without a model, else the model with the offline assistant
   * writing escalations and fallbacks.
   *
   * @throws IllegalStateException naming the setting whose file is missing or invalid
   */
  public static Assistant create(MirtConfig.Agent config) throws Exception {
    Shop shop = Shop.load(config.shop());
    CatalogSource catalog = CatalogSource.load(config.catalog());
    Writer offline = new OfflineWriter();
    Writer writer = config.llm() ? new LlmWriter(config, Prompts.load(config.prompts()), offline) : offline;
    SalesGraph graph = new SalesGraph(catalog::current, shop, writer, offline, config.historyMessages(),
      config.escalateOnFailure());
    return new Assistant(graph, shop, catalog, config.historyMessages(), writer);
  }

  /**
   * The answer to a turn. {@code /restart} clears the conversation first: alone it gets the fixed notice, with a
   * question after it the notice and the answer to the question from a fresh conversation.
   */
  public Answer answer(Turn turn, Conversation conversation) {
    if (!Commands.isRestart(turn.text())) {
      return graph.run(turn, conversation);
    }
    String rest = Commands.afterRestart(turn.text());
    Conversation fresh = Conversation.empty();
    if (rest.isEmpty() && turn.images().isEmpty()) {
      return restarted(fresh);
    }
    Turn question = new Turn(turn.subscriberId(), turn.turnId(), turn.channel(), rest, turn.images(), turn.contact(),
      turn.messageCount(), turn.firstAt(), turn.attempt(), turn.reruns(), turn.traceId());
    Answer a = graph.run(question, fresh);
    List<OutMessage> messages = new ArrayList<>();
    messages.add(OutMessage.text(Commands.RESTART_REPLY));
    messages.addAll(a.messages());
    return new Answer(messages, a.quickReplies(), a.stage(), a.intent(), a.fields(), a.addTags(), a.removeTags(),
      a.conversation(), a.order(), a.step(), a.escalation(), a.failure());
  }

  private Answer restarted(Conversation fresh) {
    Conversation kept = fresh.withExchange("/restart", Commands.RESTART_REPLY, historyMessages);
    return new Answer(List.of(OutMessage.text(Commands.RESTART_REPLY)), shop.quickReplies(Stage.STATE_0_INIT),
      Stage.STATE_0_INIT, Intent.UNKNOWN_OR_EMPTY, Map.of(), List.of(), List.of(), kept, null, null, null, null);
  }

  /** The answer of a turn that ran out of time: the honest timeout text, escalated per config. */
  public Answer timedOut(Turn turn, Conversation conversation) throws Exception {
    return graph.fallback(turn, conversation, SalesGraph.TIMEOUT);
  }

  /** The one polite notice of a subscriber over the message limit. */
  public String limitText() {
    return shop.text("limit");
  }

  /**
   * The reminder for a customer who went quiet in the conversation's stage, naming the product being discussed;
   * empty when the shop sends none in that stage.
   */
  public java.util.Optional<String> followUpText(Conversation conversation) {
    if (!Shop.FOLLOW_UP_STAGES.contains(conversation.stage())) {
      return java.util.Optional.empty();
    }
    Catalog now = catalog.current();
    String product = conversation.focusProductId() == null ? null
      : now.product(conversation.focusProductId()).map(Catalog.Product::name).orElse(null);
    return shop.followUp(conversation.stage(), product == null ? FOLLOW_UP_ANY_PRODUCT : product,
      OfferText.categories(now));
  }

  /** What {@code {product}} says in a reminder when no product is being discussed. */
  static final String FOLLOW_UP_ANY_PRODUCT = "Обрана модель";

  public String interimText() {
    return shop.text("interim");
  }

  public String model() {
    return graph.model();
  }

  /** The state of the {@code llm} circuit breaker ({@code closed}, {@code open}, {@code half_open}); empty offline. */
  public java.util.Optional<String> breaker() {
    return writer instanceof LlmWriter llm ? java.util.Optional.of(llm.breakerState()) : java.util.Optional.empty();
  }

  public CatalogSource catalog() {
    return catalog;
  }

  public Shop shop() {
    return shop;
  }
}
