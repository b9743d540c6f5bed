package ai.mirt.agent.eval;

import ai.mirt.common.Contact;

import java.util.List;

/**
 * One scripted conversation: what a customer writes, turn by turn, and what the shop expects the assistant to do with
 * each turn. {@code java -jar mirt.jar eval conf/conversations/} plays every script through the real assistant, so a
 * shop that changed its catalog, texts, prompts or model sees at once which conversations now go differently.
 *
 * <h2>File format</h2>
 * One conversation per file, in a directory; {@code .yaml}, {@code .yml} (YAML) or {@code .json} (the same keys), run
 * in the order of their file names ({@code 01-greeting.yaml}, {@code 02-complaint.yaml}, …). Other files are ignored.
 *
 * <pre>{@code
 * name: Скарга, потім покупка          # shown in the table; the file name when missing
 * description: why this conversation matters   # optional, for people only
 * customer: {first_name: Олена}       # optional: the contact as ManyChat sends it (first_name, name)
 * turns:
 *   - say: "Сукня прийшла з браком"   # the customer's text (may be empty)
 *     images: []                       # optional: photos the customer sent, https URLs
 *     # expectations, all optional; a turn without any only drives the conversation
 *     state: STATE_8_COMPLAINT         # the stage after the turn (ai_state)
 *     intent: COMPLAINT                # the turn's intent (ai_intent)
 *     escalation: complaint            # true (any reason), false (none) or the reason
 *     tags: [needs_human]              # tags the answer adds (at least these)
 *     removed_tags: []                 # tags the answer removes (at least these)
 *     no_tags: [order_started]         # tags the answer must not add
 *     says: ["передано менеджеру"]     # phrases that must all be in the reply
 *     not_says: ["грн"]                # phrases that must not be in it
 *     photos: 0                        # exactly this many photos
 *     fields: {last_product: ~}        # value: written with this value; ~ (null): not written this turn
 *     order: false                     # true: the turn creates or changes an order; false: it does not
 *     order_status: confirmed          # the order's status (implies order: true)
 * }</pre>
 *
 * <ul>
 *   <li>{@code state} and {@code intent} are names of {@code Stage} ({@code STATE_0_INIT} … {@code STATE_9_OOD}) and
 *   {@code Intent} ({@code GREETING_ONLY}, {@code COMPLAINT}, …).</li>
 *   <li>{@code fields} use the default names ({@code last_product}, {@code order_sum}, {@code client_name},
 *   {@code client_phone}, {@code client_city}, {@code client_nova_poshta}); a field is written on the turn its value
 *   becomes known or changes, so expect it on that turn. Numbers may be written without quotes.</li>
 *   <li>{@code says} and {@code not_says} ignore case, runs of spaces and the kind of apostrophe ({@code '}, {@code ’},
 *   {@code ʼ}); the reply is every text message of the answer. A single phrase may be written without brackets, as
 *   may a single tag.</li>
 *   <li>Texts YAML reads as true or false ({@code yes}, {@code no}, {@code on}, {@code off}) are refused: quote them
 *   ({@code say: "no"}).</li>
 *   <li>Unknown keys, a key written twice, a state or intent that does not exist, and a photo that is not an https URL
 *   are errors that name the file and the turn: a misspelt expectation must not pass silently.</li>
 * </ul>
 *
 * <p>Every answer is also checked without being asked: it must say something, and it must pass the catalog check
 * that guards what customers get (every photo is a catalog photo, every product exists, and whatever else the reply
 * validator checks), with the order's sum and the shop's prepayment allowed as amounts. Each conversation is a new
 * Instagram subscriber ({@code eval-1}, {@code eval-2}, … in file order) that starts from an empty conversation.
 *
 * @param file     the file name, for the table and error messages
 * @param name     what the conversation is about
 * @param customer the contact the turns come from
 * @param turns    the customer's turns in order, at least one
 */
public record Script(String file, String name, Contact customer, List<ScriptTurn> turns) {

  public Script {
    customer = customer == null ? Contact.EMPTY : customer;
    turns = List.copyOf(turns);
  }
}
