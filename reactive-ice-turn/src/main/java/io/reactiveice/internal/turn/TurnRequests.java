package io.reactiveice.internal.turn;

import io.reactiveice.internal.turn.TurnTransaction.Kind;
import io.reactiveice.stun.StunAttribute;
import io.reactiveice.stun.StunClass;
import io.reactiveice.stun.StunMessageWriter;
import io.reactiveice.stun.TransactionId;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;

/**
 * Encodes the four TURN requests (<a href="https://www.rfc-editor.org/rfc/rfc8656#section-7.1">RFC
 * 8656 sections 7.1</a>, <a href="https://www.rfc-editor.org/rfc/rfc8656#section-8">8</a>,
 * <a href="https://www.rfc-editor.org/rfc/rfc8656#section-9.1">9.1</a> and
 * <a href="https://www.rfc-editor.org/rfc/rfc8656#section-12.1">12.1</a>): Allocate with
 * REQUESTED-TRANSPORT UDP (and REQUESTED-ADDRESS-FAMILY and DONT-FRAGMENT when configured), Refresh with LIFETIME, CreatePermission and ChannelBind with
 * XOR-PEER-ADDRESS, each signed with the long-term credential once there is one and ended with
 * FINGERPRINT. Owned by one {@link TurnAllocation}; not thread-safe.
 */
final class TurnRequests {
    private static final int UDP = 17;

    private final StunMessageWriter writer = new StunMessageWriter();
    private final ByteBuffer out = ByteBuffer.allocate(1_500);
    private static final int IPV4 = 0x01;
    private static final int IPV6 = 0x02;

    private final TurnAllocationConfig config;
    private boolean dontFragment;

    TurnRequests(TurnAllocationConfig config) {
        this.config = config;
        this.dontFragment = config.dontFragment();
    }

    /** Stops asking for DONT-FRAGMENT, after the server said it does not understand it (420). */
    void withoutDontFragment() {
        dontFragment = false;
    }

    /** Whether Allocate requests carry DONT-FRAGMENT. */
    boolean dontFragment() {
        return dontFragment;
    }

    /**
     * One request as bytes.
     *
     * @param kind which request
     * @param id its transaction id
     * @param peer the peer of CreatePermission and ChannelBind
     * @param channel the channel of ChannelBind
     * @param lifetimeSeconds the LIFETIME of Refresh, or -1 to leave it out
     * @param auth the credential, or {@code null} before the challenge
     * @return the encoded request
     */
    byte[] encode(Kind kind, TransactionId id, InetSocketAddress peer, int channel, long lifetimeSeconds,
            LongTermAuth auth) {
        out.clear();
        writer.begin(out, kind.method, StunClass.REQUEST, id);
        switch (kind) {
            case ALLOCATE -> {
                writer.put(new StunAttribute.RequestedTransport(UDP));
                if (config.addressFamily() != null) {
                    writer.put(new StunAttribute.RequestedAddressFamily(
                            config.addressFamily() == StandardProtocolFamily.INET6 ? IPV6 : IPV4));
                }
                if (dontFragment) {
                    writer.put(new StunAttribute.DontFragment());
                }
                if (config.lifetime() != null) {
                    writer.put(new StunAttribute.Lifetime(config.lifetime().toSeconds()));
                }
            }
            case REFRESH -> {
                if (lifetimeSeconds >= 0) {
                    writer.put(new StunAttribute.Lifetime(lifetimeSeconds));
                }
            }
            case CREATE_PERMISSION -> writer.put(new StunAttribute.XorPeerAddress(peer));
            case CHANNEL_BIND -> {
                writer.put(new StunAttribute.ChannelNumber(channel));
                writer.put(new StunAttribute.XorPeerAddress(peer));
            }
        }
        if (auth != null) {
            auth.sign(writer);
        }
        writer.putFingerprint();
        int n = writer.finish();
        byte[] bytes = new byte[n];
        out.get(0, bytes, 0, n);
        return bytes;
    }
}
