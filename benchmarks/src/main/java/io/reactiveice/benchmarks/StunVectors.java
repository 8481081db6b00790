package io.reactiveice.benchmarks;

import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttributeType;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.StunMethod;
import io.reactiveice.stun.TransactionId;
import io.reactiveice.testing.RfcVectors;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The messages the STUN benchmarks run over: the RFC 5769 section 2.1 sample request, byte for byte
 * (from {@link RfcVectors}, the vectors reactive-ice's codec tests use), and a Binding success
 * response to it built with our writer.
 */
final class StunVectors {

    /** Short-term password of RFC 5769 sections 2.1 to 2.3 (the HMAC-SHA1 key as-is). */
    static final String PASSWORD = RfcVectors.RFC5769_PASSWORD;

    /** USERNAME of the RFC 5769 request: {@code LFRAG:RFRAG} as seen by the receiver. */
    static final String USERNAME = RfcVectors.RFC5769_REQUEST_USERNAME;

    /** Mapped port of the RFC 5769 section 2.2 response. */
    static final int MAPPED_PORT = RfcVectors.RFC5769_RESPONSE_MAPPED_PORT;

    private StunVectors() {
    }

    /** A fresh copy of the 108-byte request. */
    static byte[] request() {
        byte[] bytes = RfcVectors.RFC5769_REQUEST.clone();
        if (bytes.length != 108) {
            throw new IllegalStateException("RFC 5769 request must be 108 bytes but was " + bytes.length);
        }
        return bytes;
    }

    /** The 12 bytes of the transaction id, for ice4j. */
    static byte[] transactionIdBytes() {
        return RfcVectors.RFC5769_TRANSACTION_ID.clone();
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
