package ai.mirt.agent;

/** Conversation stages as written to the {@code ai_state} field, and the stage an intent leads to. */
public final class Stages {

  public static final String NEW = "STATE_0_NEW";
  public static final String DISCOVERY = "STATE_1_DISCOVERY";
  public static final String OFFER = "STATE_2_OFFER";
  public static final String SIZE = "STATE_3_SIZE";
  public static final String CHECKOUT = "STATE_4_CHECKOUT";
  public static final String HUMAN = "STATE_HUMAN";

  private Stages() {
  }

  /** The stage after answering {@code intent}; intents that do not move the sale keep {@code current}. */
  public static String after(Intent intent, String current) {
    String kept = current == null || current.isBlank() || NEW.equals(current) ? DISCOVERY : current;
    return switch (intent) {
      case GREETING, CATALOG, OTHER -> DISCOVERY;
      case CATEGORY, PRODUCT, PRICE -> OFFER;
      case SIZE, COLOR -> SIZE;
      case DELIVERY, PAYMENT -> CHECKOUT;
      case COMPLAINT -> HUMAN;
      case THANKS, ABUSE -> kept;
      case RESTART -> NEW;
    };
  }
}
