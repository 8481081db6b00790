package io.reactiveice.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.socket.DatagramPacket;
import io.reactiveice.internal.transport.ByteBufViews;
import io.reactiveice.stun.BindingOutcome;
import io.reactiveice.stun.BindingResponder;
import java.nio.ByteBuffer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BindingResponder} on each received datagram, inside the {@code onNext} that received
 * it (Reactor Netty releases the packet afterwards), and turns what it wrote into the datagram to
 * send. The response buffer is released here on every path that does not hand it on.
 */
final class BindingHandler implements Function<Object, DatagramPacket> {
    private static final Logger log = LoggerFactory.getLogger(BindingHandler.class);

    private final BindingResponder responder;

    BindingHandler(BindingResponder responder) {
        this.responder = responder;
    }

    BindingResponder responder() {
        return responder;
    }

    @Override
    public DatagramPacket apply(Object message) {
        if (!(message instanceof DatagramPacket packet)) {
            return null;
        }
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        ByteBuf out = ByteBufAllocator.DEFAULT.directBuffer(Math.max(512, 2 * length + 128));
        boolean handedOn = false;
        try {
            ByteBuffer in = ByteBufViews.readable(content);
            ByteBuffer target = ByteBufViews.writable(out);
            int start = target.position();
            BindingOutcome outcome = responder.respond(in, in.position(), length, packet.sender(), target);
            if (log.isDebugEnabled()) {
                String detail = responder.lastDetail();
                log.debug("STUN {} from {}{}", outcome, packet.sender(), detail == null ? "" : ": " + detail);
            }
            if (!outcome.answered()) {
                return null;
            }
            out.writerIndex(out.writerIndex() + target.position() - start);
            handedOn = true;
            return new DatagramPacket(out, packet.sender());
        } catch (RuntimeException e) {
            // The responder does not throw on input; anything here is a bug, and the server keeps serving.
            log.warn("STUN server failed on a datagram from {}", packet.sender(), e);
            return null;
        } finally {
            if (!handedOn) {
                out.release();
            }
        }
    }
}
