package ai.mirt.agent;

/**
 * The default names of the custom fields and tags the assistant writes; a shop renames them with the
 * {@code manychat.names} setting, applied when the reply is sent. Create them in ManyChat (see the README).
 */
public final class Names {

  public static final String LAST_PRODUCT = "last_product";
  /** A Number field: the order total in UAH. */
  public static final String ORDER_SUM = "order_sum";
  public static final String CLIENT_NAME = "client_name";
  public static final String CLIENT_PHONE = "client_phone";
  public static final String CLIENT_CITY = "client_city";
  public static final String CLIENT_NOVA_POSHTA = "client_nova_poshta";

  public static final String NEEDS_HUMAN = "needs_human";
  public static final String ORDER_STARTED = "order_started";
  public static final String ORDER_PAID = "order_paid";

  private Names() {
  }
}
