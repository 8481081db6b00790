package io.reactiveice.benchmarks;

import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The messages the STUN benchmarks run over: the RFC 5769 section 2.1 sample request, byte for byte,
 * and a Binding success response to it built with our writer.
 *
 * <p>The request is copied from {@code reactive-ice}'s test vectors ({@code RfcVectors}, test scope,
 * so not visible here); one comment per field.
 */
final class StunVectors {

    /** Short-term password of RFC 5769 sections 2.1 to 2.3 (the HMAC-SHA1 key as-is). */
    static final String PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    /** USERNAME of the RFC 5769 request: {@code LFRAG:RFRAG} as seen by the receiver. */
    static final String USERNAME = "evtj:h6vY";

    /** Transaction id of RFC 5769 sections 2.1 to 2.3. */
    static final String TRANSACTION_ID_HEX = "b7e7a701bc34d686fa87dfae";

    /** Mapped port of the RFC 5769 section 2.2 response. */
    static final int MAPPED_PORT = 32853;

    /** RFC 5769 section 2.1: Binding request, 108 bytes. */
    static final String REQUEST_HEX = ""
            + "0001"                                        // message type: Binding request
            + "0058"                                        // message length: 88
            + "2112a442"                                    // magic cookie
            + "b7e7a701bc34d686fa87dfae"                    // transaction id
            + "8022"                                        // attribute type: SOFTWARE
            + "0010"                                        // attribute length: 16
            + "5354554e207465737420636c69656e74"            // value: "STUN test client"
            + "0024"                                        // attribute type: PRIORITY
            + "0004"                                        // attribute length: 4
            + "6e0001ff"                                    // value: priority 0x6e0001ff
            + "8029"                                        // attribute type: ICE-CONTROLLED
            + "0008"                                        // attribute length: 8
            + "932ff9b151263b36"                            // value: tie-breaker
            + "0006"                                        // attribute type: USERNAME
            + "0009"                                        // attribute length: 9
            + "6576746a3a68367659"                          // value: "evtj:h6vY"
            + "202020"                                      // padding (3 bytes, 0x20 as in the RFC)
            + "0008"                                        // attribute type: MESSAGE-INTEGRITY
            + "0014"                                        // attribute length: 20
            + "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"    // value: HMAC-SHA1
            + "8028"                                        // attribute type: FINGERPRINT
            + "0004"                                        // attribute length: 4
            + "e57a3bcf";                                   // value: CRC-32 ^ 0x5354554e

    private StunVectors() {
    }

    /** A fresh copy of the 108-byte request. */
    static byte[] request() {
        byte[] bytes = HexFormat.of().parseHex(REQUEST_HEX);
        if (bytes.length != 108) {
            throw new IllegalStateException("RFC 5769 request must be 108 bytes but was " + bytes.length);
        }
        return bytes;
    }

    /** The 12 bytes of the transaction id, for ice4j. */
    static byte[] transactionIdBytes() {
        return HexFormat.of().parseHex(TRANSACTION_ID_HEX);
    }

    /** The transaction id as our value type. */
    static TransactionId transactionId() {
        return TransactionId.fromBytes(transactionIdBytes(), 0);
    }

    /** 192.0.2.1:32853, built from bytes (no name lookup). */
    static InetSocketAddress mappedAddress() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), MAPPED_PORT);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes the signed Binding success response: XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY (short-term
     * key), FINGERPRINT. The exact call sequence the encode benchmarks measure.
     *
     * @param writer the reused writer
     * @param out the buffer; cleared first
     * @param transactionId the transaction id
     * @param mapped the address in XOR-MAPPED-ADDRESS
     * @param key the short-term key
     * @return the message length
     */
    static int writeBindingResponse(StunMessageWriter writer, ByteBuffer out, TransactionId transactionId,
            InetSocketAddress mapped, IntegrityKey key) {
        out.clear();
        return writer.begin(out, StunMethod.BINDING, StunClass.SUCCESS_RESPONSE, transactionId)
                .putXorAddress(StunAttributeType.XOR_MAPPED_ADDRESS.code(), mapped)
                .putMessageIntegrity(key)
                .putFingerprint()
                .finish();
    }

    /** The response as an array, written once with a fresh writer. */
    static byte[] bindingResponse(IntegrityKey key) {
        ByteBuffer out = ByteBuffer.allocate(1500);
        int length = writeBindingResponse(new StunMessageWriter(), out, transactionId(), mappedAddress(), key);
        return Arrays.copyOf(out.array(), length);
    }
}
