package io.reactiveice.benchmarks;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.ice4j.StunException;
import org.ice4j.Transport;
import org.ice4j.TransportAddress;
import org.ice4j.attribute.Attribute;
import org.ice4j.attribute.AttributeFactory;
import org.ice4j.attribute.MessageIntegrityAttribute;
import org.ice4j.attribute.UsernameAttribute;
import org.ice4j.message.Message;
import org.ice4j.message.MessageFactory;
import org.ice4j.message.Request;
import org.ice4j.message.Response;
import org.ice4j.security.CredentialsAuthority;
import org.ice4j.security.LongTermCredential;
import org.ice4j.stack.RawMessage;
import org.ice4j.stack.StunStack;

/**
 * Baseline STUN codec for the benchmarks: wraps ice4j {@code org.jitsi:ice4j:3.2-12-gc2cbf61}. Each
 * method does what ice4j itself does for one message, and nothing more.
 *
 * <ul>
 *   <li>{@link #decode} calls {@link Message#decode(byte[], int, int)}, which also checks FINGERPRINT
 *       when it is present, and then visits every attribute.
 *   <li>{@link #check} follows ice4j's receive path: {@code MessageProcessingTask} copies the datagram
 *       into a {@link RawMessage} and decodes it at offset 0. {@code StunStack.validateRequestAttributes}
 *       then checks the USERNAME against the {@code CredentialsManager} and calls {@link
 *       StunStack#validateMessageIntegrity}. ice4j does not require FINGERPRINT. This class adds one
 *       map lookup so that {@code check} is {@code true} only when FINGERPRINT is present and valid.
 *   <li>{@link #encodeBindingResponse} builds the response the way {@code ConnectivityCheckServer}
 *       does, using {@link MessageFactory#createBindingResponse}. It adds MESSAGE-INTEGRITY and
 *       FINGERPRINT, and then calls {@link Message#encode(StunStack)}. The MESSAGE-INTEGRITY key is
 *       not stored on the attribute. During encode, ice4j gets it from {@code
 *       stunStack.getCredentialsManager().getLocalKey(username)}. That is why a {@link StunStack} and
 *       a {@link CredentialsAuthority} are created once, in the constructor.
 * </ul>
 *
 * <p>Per-message costs that come from ice4j itself stay in the measured path. Examples: the {@code
 * RawMessage} copy, {@code Mac.getInstance} for every HMAC, attribute objects, and the config lookup
 * for SOFTWARE during encode. Setup that ice4j lets us hoist is done once: the key bytes, the
 * credentials authority, the stack and the mapped {@link TransportAddress}.
 *
 * <p><b>SOFTWARE.</b> By default, ice4j adds {@code SOFTWARE: "ice4j.org"} to every message it
 * encodes (config key {@code ice4j.software}). This would make ice4j's response longer than the one
 * we compare it with. So this class sets the system property {@code ice4j.software} to {@code ""},
 * unless it has already been set, before any ice4j config is loaded. The constructor fails if
 * ice4j still adds SOFTWARE. In that case, pass {@code -Dice4j.software=} to the JVM.
 *
 * <p><b>Non-zero offsets.</b> {@code Message.decode(buf, offset, len)} is only correct when {@code
 * offset == 0}. Its header check treats the third argument as an end index (it checks {@code len -
 * offset}). Its attribute loop compares the absolute position with the message length.
 *
 * <ul>
 *   <li>If {@code (offset, length)} is passed with offset &gt; 0, decode always throws {@code
 *       StunException} ("does not seem to contain a whole StunMessage").
 *   <li>If {@code (offset, offset + length)} is passed, decode succeeds. However, every attribute
 *       that starts in the last {@code offset} bytes of the message is silently dropped. For the
 *       RFC 5769 request, offsets 1–7 reject a valid FINGERPRINT: the CRC is taken over {@code
 *       buf[offset, 2 * offset + 100)}. From offset 8, FINGERPRINT is silently missing, so a tampered
 *       CRC is accepted. From offset 32, MESSAGE-INTEGRITY is also missing.
 * </ul>
 *
 * <p>ice4j's own receive path always decodes a 0-based copy, so it is not affected. {@link
 * #decode} passes {@code offset} and {@code length} to ice4j unchanged. Benchmark it at offset 0.
 * {@link #check} copies the slice first when {@code offset != 0}. {@link
 * #decodedAttributeTypes} shows the behaviour described above.
 *
 * <p>Not thread-safe, because {@link #encodeBindingResponse} reuses one request template. Use one
 * instance per benchmark thread, for example in a {@code @State(Scope.Thread)}.
 */
public final class Ice4jStun implements AutoCloseable {

  static {
    // Must happen before ice4j's AgentConfig / JitsiConfig are first loaded (see class Javadoc).
    if (System.getProperty("ice4j.software") == null) {
      System.setProperty("ice4j.software", "");
    }
  }

  private final StunStack stack;
  private final String localUfrag;
  private final TransportAddress mappedAddress;
  /**
   * Stands in for the incoming request that ice4j's {@code ConnectivityCheckServer} passes to
   * {@link MessageFactory#createBindingResponse}. Only its transaction ID is read.
   */
  private final Request requestTemplate;

  /**
   * Creates the wrapper and sets up the ice4j state once.
   *
   * @param username the USERNAME of incoming checks, {@code "RFRAG:LFRAG"}, for example {@code
   *     "evtj:h6vY"}. The part before ':' is our local ufrag. Its key is {@code password}.
   * @param password the short-term password. The HMAC key is its UTF-8 bytes, for example {@code
   *     "VOkJxbRl1RmTxUk/WvJxBt"}.
   * @param mappedAddress the address written in XOR-MAPPED-ADDRESS, for example 192.0.2.1:32853
   */
  public Ice4jStun(String username, String password, InetSocketAddress mappedAddress) {
    int colon = username.indexOf(':');
    this.localUfrag = colon > 0 ? username.substring(0, colon) : username;
    byte[] key = password.getBytes(StandardCharsets.UTF_8);
    this.stack = new StunStack();
    String ufrag = this.localUfrag;
    stack
        .getCredentialsManager()
        .registerAuthority(
            new CredentialsAuthority() {
              @Override
              public byte[] getLocalKey(String user) {
                return ufrag.equals(user) ? key : null;
              }

              @Override
              public byte[] getRemoteKey(String user, String media) {
                return getLocalKey(user);
              }

              @Override
              public boolean checkLocalUserName(String user) {
                return ufrag.equals(user);
              }
            });
    this.mappedAddress =
        new TransportAddress(mappedAddress.getAddress(), mappedAddress.getPort(), Transport.UDP);
    this.requestTemplate = MessageFactory.createBindingRequest();

    // Fail fast if ice4j would add a SOFTWARE attribute (config already loaded elsewhere).
    byte[] probe = encodeBindingResponse(new byte[Message.TRANSACTION_ID_LENGTH]);
    try {
      if (Message.decode(probe, 0, probe.length).getAttribute(Attribute.SOFTWARE) != null) {
        throw new IllegalStateException(
            "ice4j adds a SOFTWARE attribute; run the JVM with -Dice4j.software=");
      }
    } catch (StunException e) {
      throw new IllegalStateException("ice4j cannot decode its own response", e);
    }
  }

  /**
   * Decodes one STUN message with ice4j and visits every attribute.
   *
   * <p>Only correct for {@code offset == 0} (see class Javadoc). The arguments are passed to
   * {@link Message#decode(byte[], int, int)} unchanged.
   *
   * @param buf the array that holds the message
   * @param offset where the message starts in {@code buf}
   * @param length the message length in bytes
   * @return a value derived from every attribute's type and length, for a {@code Blackhole}
   * @throws IllegalArgumentException if ice4j rejects the message, including a bad FINGERPRINT
   */
  public int decode(byte[] buf, int offset, int length) {
    Message message;
    try {
      message = Message.decode(buf, offset, length);
    } catch (StunException e) {
      throw new IllegalArgumentException("ice4j rejected the message: " + e.getMessage(), e);
    }
    int h = message.getMessageType();
    for (Attribute attribute : message.getAttributes()) {
      h = 31 * h + attribute.getAttributeType();
      h = 31 * h + attribute.getDataLength();
    }
    return h;
  }

  /**
   * Authenticates one incoming request the way ice4j's receive path does. It returns {@code true}
   * only if all of the following hold:
   *
   * <ul>
   *   <li>it decodes, and FINGERPRINT is present and valid (ice4j checks FINGERPRINT inside {@code
   *       Message.decode});
   *   <li>the part of USERNAME before ':' is our local ufrag;
   *   <li>{@link StunStack#validateMessageIntegrity} accepts MESSAGE-INTEGRITY with the short-term
   *       key.
   * </ul>
   *
   * <p>When {@code offset != 0}, the slice is copied first, because ice4j cannot work at an
   * offset.
   *
   * @param buf the array that holds the message
   * @param offset where the message starts in {@code buf}
   * @param length the message length in bytes
   * @return {@code true} if FINGERPRINT, USERNAME and MESSAGE-INTEGRITY all pass
   */
  public boolean check(byte[] buf, int offset, int length) {
    byte[] src = offset == 0 ? buf : Arrays.copyOfRange(buf, offset, offset + length);
    // What ice4j's socket layer does for every datagram: copy it into a RawMessage.
    RawMessage raw = RawMessage.build(src, length, null, null);
    Message message;
    try {
      // MessageProcessingTask: Message.decode(raw.getBytes(), 0, raw.getMessageLength())
      message = Message.decode(raw.getBytes(), 0, raw.getMessageLength());
    } catch (StunException e) {
      return false; // malformed, or "Wrong value in FINGERPRINT"
    }
    if (message.getAttribute(Attribute.FINGERPRINT) == null) {
      return false; // ice4j would accept this; our check demands it
    }
    UsernameAttribute usernameAttr = (UsernameAttribute) message.getAttribute(Attribute.USERNAME);
    MessageIntegrityAttribute integrity =
        (MessageIntegrityAttribute) message.getAttribute(Attribute.MESSAGE_INTEGRITY);
    if (usernameAttr == null || integrity == null) {
      return false;
    }
    // StunStack.validateRequestAttributes -> validateUsername (private; same steps here).
    String username = LongTermCredential.toString(usernameAttr.getUsername());
    int colon = username.indexOf(':');
    if (colon < 1
        || !stack.getCredentialsManager().checkLocalUserName(username.substring(0, colon))) {
      return false;
    }
    return stack.validateMessageIntegrity(integrity, username, true, raw);
  }

  /**
   * Authenticates one incoming response with ice4j's primitives. It returns {@code true} only if
   * the response decodes, FINGERPRINT is present and valid, and {@link
   * StunStack#validateMessageIntegrity} accepts MESSAGE-INTEGRITY under the short-term key.
   *
   * <p>ice4j itself does not check MESSAGE-INTEGRITY of ICE responses:
   * {@code ConnectivityCheckClient.processResponse} checks only that the addresses are symmetric,
   * and {@code StunStack.handleMessageEvent} hands a response to its transaction unchecked. So this
   * is what the check would cost if ice4j did it, built from the same steps as {@link #check}: the
   * {@link RawMessage} copy, {@code Message.decode} at offset 0, then {@code
   * validateMessageIntegrity}. A response carries no USERNAME; the key is looked up with the
   * USERNAME of the request it answers ({@code requestUsername}), as an ICE agent would.
   *
   * @param buf the array that holds the message
   * @param offset where the message starts in {@code buf}
   * @param length the message length in bytes
   * @param requestUsername the USERNAME of the request, {@code "LFRAG:RFRAG"} as given to the
   *     constructor
   * @return {@code true} if FINGERPRINT and MESSAGE-INTEGRITY both pass
   */
  public boolean checkResponse(byte[] buf, int offset, int length, String requestUsername) {
    byte[] src = offset == 0 ? buf : Arrays.copyOfRange(buf, offset, offset + length);
    RawMessage raw = RawMessage.build(src, length, null, null);
    Message message;
    try {
      message = Message.decode(raw.getBytes(), 0, raw.getMessageLength());
    } catch (StunException e) {
      return false;
    }
    if (message.getAttribute(Attribute.FINGERPRINT) == null) {
      return false;
    }
    MessageIntegrityAttribute integrity =
        (MessageIntegrityAttribute) message.getAttribute(Attribute.MESSAGE_INTEGRITY);
    if (integrity == null) {
      return false;
    }
    return stack.validateMessageIntegrity(integrity, requestUsername, true, raw);
  }

  /**
   * Encodes a Binding success response with ice4j. It contains XOR-MAPPED-ADDRESS (the address
   * given to the constructor), MESSAGE-INTEGRITY (short-term key) and FINGERPRINT, in that order.
   *
   * @param transactionId the 12-byte transaction ID
   * @return the encoded message (freshly allocated by ice4j)
   */
  public byte[] encodeBindingResponse(byte[] transactionId) {
    try {
      requestTemplate.setTransactionID(transactionId);
      Response response = MessageFactory.createBindingResponse(requestTemplate, mappedAddress);
      response.putAttribute(AttributeFactory.createMessageIntegrityAttribute(localUfrag));
      response.putAttribute(AttributeFactory.createFingerprintAttribute());
      // StunStack.sendResponse sets the transaction ID and then calls encode(this).
      response.setTransactionID(transactionId);
      return response.encode(stack);
    } catch (StunException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * Shows how ice4j decodes at a non-zero offset. It decodes {@code buf[offset, offset + length)}
   * and returns the attribute types that ice4j reports.
   *
   * @param buf the array that holds the message
   * @param offset where the message starts in {@code buf}
   * @param length the message length in bytes
   * @param endIndexConvention if {@code true}, ice4j is given {@code (offset, offset + length)};
   *     otherwise {@code (offset, length)}
   * @param errorOut optional array of length at least 1; receives ice4j's error message
   * @return the attribute types in order, or {@code null} if ice4j threw (the reason is in
   *     {@code errorOut[0]} when {@code errorOut} is not {@code null})
   */
  public static char[] decodedAttributeTypes(
      byte[] buf, int offset, int length, boolean endIndexConvention, String[] errorOut) {
    try {
      Message m = Message.decode(buf, offset, endIndexConvention ? offset + length : length);
      char[] types = new char[m.getAttributeCount()];
      int i = 0;
      for (Attribute a : m.getAttributes()) {
        types[i++] = a.getAttributeType();
      }
      return types;
    } catch (StunException e) {
      if (errorOut != null && errorOut.length > 0) {
        errorOut[0] = e.getMessage();
      }
      return null;
    }
  }

  /** Shuts down the private {@link StunStack}. */
  @Override
  public void close() {
    stack.shutDown();
  }
}
