package io.reactiveice.stun;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole STUN message as an immutable value: header fields and typed attributes. For logging,
 * tests and control messages; the hot path uses {@link StunMessageReader} and
 * {@link StunMessageWriter} directly and never builds one of these.
 *
 * @param messageClass the class
 * @param method the method
 * @param transactionId the transaction id
 * @param attributes the attributes in wire order
 */
public record StunMessage(StunClass messageClass, StunMethod method, TransactionId transactionId,
        List<StunAttribute> attributes) {

    /** Checks the fields and freezes the attribute list. */
    public StunMessage {
        Objects.requireNonNull(messageClass, "messageClass");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(transactionId, "transactionId");
        attributes = List.copyOf(attributes);
    }

    /**
     * Decodes every attribute of the message a reader holds.
     *
     * @param reader a reader that has just read a valid message
     * @return the message
     * @throws StunDecodeException if an attribute value is malformed
     */
    public static StunMessage from(StunMessageReader reader) {
        List<StunAttribute> attributes = new ArrayList<>(reader.attributeCount());
        for (int i = 0; i < reader.attributeCount(); i++) {
            attributes.add(reader.attribute(i));
        }
        return new StunMessage(reader.messageClass(), reader.method(), reader.transactionId(), attributes);
    }

    /**
     * Decodes a message from bytes.
     *
     * @param bytes exactly one message
     * @return the message
     * @throws StunDecodeException if the bytes are not a well-formed STUN message
     */
    public static StunMessage decode(byte[] bytes) {
        return from(new StunMessageReader().read(bytes, 0, bytes.length));
    }

    /** The first attribute of a record type, if any. */
    public <T extends StunAttribute> Optional<T> attribute(Class<T> type) {
        for (StunAttribute a : attributes) {
            if (type.isInstance(a)) {
                return Optional.of(type.cast(a));
            }
        }
        return Optional.empty();
    }

    /**
     * Encodes the message as it stands: attributes written as they are, integrity values included
     * verbatim.
     *
     * @param writer the writer to use
     * @param buffer where to write, at its position
     * @return the number of bytes written
     */
    public int encode(StunMessageWriter writer, ByteBuffer buffer) {
        writer.begin(buffer, method.code(), messageClass, transactionId.high(), transactionId.low());
        for (StunAttribute a : attributes) {
            writer.put(a);
        }
        return writer.finish();
    }

    /** The message encoded into a new array. */
    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(65_556);
        int length = encode(new StunMessageWriter(), buffer);
        byte[] out = new byte[length];
        buffer.get(0, out, 0, length);
        return out;
    }
}
