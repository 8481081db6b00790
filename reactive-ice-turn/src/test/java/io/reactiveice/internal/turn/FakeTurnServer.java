package io.reactiveice.internal.turn;

import io.reactiveice.stun.IntegrityKey;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessage;
import io.reactiveice.stun.StunMessageReader;
import io.reactiveice.stun.StunMessageWriter;
import java.nio.ByteBuffer;

/** Builds the server's side of a TURN exchange as bytes, for stepping {@link TurnAllocation} by hand. */
public final class FakeTurnServer {
    private FakeTurnServer() {
    }

    /** A response to {@code request} with these attributes, signed with {@code key} unless it is null. */
    static byte[] respond(byte[] request, StunClass messageClass, IntegrityKey key, boolean sha256,
            StunAttribute... attributes) {
        StunMessageReader r = new StunMessageReader().read(request, 0, request.length);
        ByteBuffer out = ByteBuffer.allocate(1500);
        StunMessageWriter w = new StunMessageWriter().beginResponse(out, r, messageClass);
        for (StunAttribute a : attributes) {
            w.put(a);
        }
        if (key != null) {
            if (sha256) {
                w.putMessageIntegritySha256(key);
            } else {
                w.putMessageIntegrity(key);
            }
        }
        w.putFingerprint();
        int n = w.finish();
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        return bytes;
    }

    public static byte[] success(byte[] request, IntegrityKey key, StunAttribute... attributes) {
        return respond(request, StunClass.SUCCESS_RESPONSE, key, false, attributes);
    }

    public static byte[] error(byte[] request, IntegrityKey key, int code, String reason, StunAttribute... more) {
        StunAttribute[] all = new StunAttribute[more.length + 1];
        all[0] = new StunAttribute.ErrorCode(code, reason);
        System.arraycopy(more, 0, all, 1, more.length);
        return respond(request, StunClass.ERROR_RESPONSE, key, false, all);
    }

    static StunMessage decode(byte[] bytes) {
        return StunMessage.decode(bytes);
    }

    static StunMessageReader read(byte[] bytes) {
        return new StunMessageReader().read(bytes, 0, bytes.length);
    }
}
