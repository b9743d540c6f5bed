package ai.mirt.agent;

import ai.mirt.common.MirtConfig;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.ContentFilteredException;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the answering nodes' drafts with an OpenAI-compatible chat model (langchain4j). The model gets the shop's
 * rules, catalog and the turn's facts as the system prompt ({@link Prompts}), the history as user and assistant
 * messages, the customer's photos as image inputs, and must answer in the JSON of {@link ModelOutput}.
 *
 * <p>Escalations are never written by the model: they go to the offline writer, so an honest text is always possible.
 * The {@link LlmBreaker} counts model failures (transport errors, timeouts, error statuses) and, while open, fails a
 * turn at once so the customer gets the honest text without waiting for a timeout. An answer that is not the JSON
 * asked for fails the turn too but is not counted: the model is up, and one odd answer says nothing about the next
 * customer's turn. The same holds for a refusal by the model's content filter.
 */
public final class LlmWriter implements Writer {

  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** Low detail: a garment is recognisable at 512 px, and a photo turn must fit its time budget. */
  static final ImageContent.DetailLevel IMAGE_DETAIL = ImageContent.DetailLevel.LOW;

  private final ChatModel model;
  private final String modelName;
  private final Prompts prompts;
  private final Writer offline;
  private final LlmBreaker breaker;

  public LlmWriter(MirtConfig.Agent config, Prompts prompts, Writer offline) {
    this(openAi(config.openaiBaseUrl(), config.openaiApiKey(), config.openaiModel(),
        Duration.ofSeconds(config.timeoutSeconds()), config.temperature()), config.openaiModel(), prompts, offline,
      config.breakerMaxFailures(), config.breakerResetMs());
  }

  /**
   * @param model              the chat model; for OpenAI built by {@link #openAi}
   * @param offline            writes escalations
   * @param breakerMaxFailures model failures within 60 s that open the breaker
   * @param breakerResetMs     how long the open breaker refuses calls before it lets one through
   */
  public LlmWriter(ChatModel model, String modelName, Prompts prompts, Writer offline, int breakerMaxFailures,
                   long breakerResetMs) {
    this.model = model;
    this.modelName = modelName;
    this.prompts = prompts;
    this.offline = offline;
    this.breaker = new LlmBreaker(breakerMaxFailures, breakerResetMs);
  }

  /**
   * The chat model against any OpenAI-compatible server. No retries: a turn has a time budget, and a failed call is
   * better answered at once with the honest text (debounce retries the turn when configured). Strict JSON schema, so
   * a model that supports structured output answers only in the shape of {@link ModelOutput}.
   *
   * @param baseUrl blank for OpenAI itself
   * @param apiKey  blank for a local server that needs none
   */
  public static ChatModel openAi(String baseUrl, String apiKey, String modelName, Duration timeout,
                                 double temperature) {
    return OpenAiChatModel.builder()
      .baseUrl(baseUrl == null || baseUrl.isBlank() ? DEFAULT_BASE_URL : baseUrl)
      .apiKey(apiKey == null || apiKey.isBlank() ? null : apiKey)
      .modelName(modelName)
      .timeout(timeout)
      .temperature(temperature)
      .maxRetries(0)
      .strictJsonSchema(true)
      .build();
  }

  @Override
  public String model() {
    return modelName;
  }

  /** The {@code llm} breaker's state for health: {@code closed}, {@code open} or {@code half_open}. */
  public String breakerState() {
    return breaker.state().wire();
  }

  /**
   * @throws IllegalStateException when the breaker is open or the model's answer is not the JSON asked for
   * @throws RuntimeException      what the model client threw (unreachable, timeout, error status)
   */
  @Override
  public Draft write(Step step, TurnContext context) throws Exception {
    // Escalations, and the order itself (the cart, the delivery details with their validation, the confirmation,
    // the payment details and the screenshot), are written deterministically: a model must never invent an order
    // number, a sum or an IBAN, and an order must come out the same when a turn runs again.
    if (step == Step.ESCALATION || step == Step.PAYMENT) {
      return offline.write(step, context);
    }
    ChatRequest request = request(step, context);
    if (!breaker.tryAcquire()) {
      throw new IllegalStateException("llm circuit breaker is open");
    }
    ChatResponse response;
    try {
      response = model.chat(request);
      breaker.success();
    } catch (ContentFilteredException e) {
      breaker.success();
      throw e;
    } catch (RuntimeException | Error e) {
      breaker.failure();
      throw e;
    }
    String content = response.aiMessage() == null ? null : response.aiMessage().text();
    return ModelDraft.from(ModelOutput.parse(content), context);
  }

  /** The system prompt, the history, and the turn with its photos, asking for the JSON of {@link ModelOutput}. */
  ChatRequest request(Step step, TurnContext context) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(SystemMessage.from(prompts.system(step, context)));
    for (Conversation.Entry e : context.conversation().history()) {
      if (e.text() == null || e.text().isBlank()) {
        continue;
      }
      messages.add(Conversation.ASSISTANT.equals(e.role()) ? AiMessage.from(e.text()) : UserMessage.from(e.text()));
    }
    messages.add(turn(context));
    return ChatRequest.builder().messages(messages).responseFormat(ModelOutput.RESPONSE_FORMAT).build();
  }

  /** The customer's words and photos as one user message; photos are image inputs, never URLs in the text. */
  private UserMessage turn(TurnContext context) {
    List<Content> contents = new ArrayList<>();
    if (!context.text().isBlank()) {
      contents.add(TextContent.from(context.text()));
    } else if (context.images().isEmpty()) {
      contents.add(TextContent.from(prompts.emptyTurn()));
    }
    for (String url : context.images()) {
      contents.add(ImageContent.from(url, IMAGE_DETAIL));
    }
    return UserMessage.from(contents);
  }
}
