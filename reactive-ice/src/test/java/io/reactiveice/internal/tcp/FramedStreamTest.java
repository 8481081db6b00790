package io.reactiveice.internal.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** RFC 4571 framing over every segmentation TCP may deliver. */
class FramedStreamTest {
    @Test
    void framesArriveWholeWhateverTheSegmentationOneByteAtATimeIncluded() {
        List<byte[]> sent = payloads(200, 1_500, new SplittableRandom(1)).stream().filter(p -> p.length > 0).toList();
        byte[] stream = concat(sent);
        for (int segment : new int[] {1, 2, 3, 7, 1_499, 1_502, 65_536, stream.length}) {
            FramedStream framing = new FramedStream(FramedStream.MAX_FRAME);
            List<byte[]> got = new ArrayList<>();
            for (int i = 0; i < stream.length; i += segment) {
                ByteBuffer read = ByteBuffer.wrap(stream, i, Math.min(segment, stream.length - i));
                assertThat(framing.feed(read, f -> got.add(bytes(f)))).isEqualTo(FramedStream.Outcome.OK);
                assertThat(read.hasRemaining()).as("every byte of a read is taken").isFalse();
            }
            assertThat(got).as("segments of %d bytes", segment).hasSameSizeAs(sent);
            for (int i = 0; i < sent.size(); i++) {
                assertThat(got.get(i)).as("frame %d, segments of %d", i, segment).isEqualTo(sent.get(i));
            }
            assertThat(framing.midFrame()).isFalse();
        }
    }

    @Test
    void randomSegmentationOfManyFramesLosesAndReordersNothing() {
        SplittableRandom random = new SplittableRandom(42);
        List<byte[]> sent = payloads(2_000, 600, random);
        byte[] stream = concat(sent);
        FramedStream framing = new FramedStream(1_000);
        List<byte[]> got = new ArrayList<>();
        for (int i = 0; i < stream.length;) {
            int n = Math.min(1 + random.nextInt(2_000), stream.length - i);
            framing.feed(ByteBuffer.wrap(stream, i, n), f -> got.add(bytes(f)));
            i += n;
        }
        List<byte[]> nonEmpty = sent.stream().filter(p -> p.length > 0).toList(); // empty frames carry nothing
        assertThat(nonEmpty.size()).as("the test sends empty frames too").isLessThan(sent.size());
        assertThat(got).hasSameSizeAs(nonEmpty);
        for (int i = 0; i < nonEmpty.size(); i++) {
            assertThat(got.get(i)).isEqualTo(nonEmpty.get(i));
        }
        assertThat(framing.frames()).isEqualTo(sent.size());
    }

    @Test
    void aFrameSplitInsideItsLengthIsReassembled() {
        FramedStream framing = new FramedStream(100);
        List<byte[]> got = new ArrayList<>();
        framing.feed(ByteBuffer.wrap(new byte[] {0}), f -> got.add(bytes(f))); // half of the length
        assertThat(framing.midFrame()).isTrue();
        framing.feed(ByteBuffer.wrap(new byte[] {3, 'a', 'b'}), f -> got.add(bytes(f)));
        assertThat(got).isEmpty();
        framing.feed(ByteBuffer.wrap(new byte[] {'c', 0, 1, 'd'}), f -> got.add(bytes(f)));
        assertThat(got).containsExactly(new byte[] {'a', 'b', 'c'}, new byte[] {'d'});
    }

    @Test
    void emptyFramesAreSkippedAndCounted() {
        FramedStream framing = new FramedStream(100);
        List<byte[]> got = new ArrayList<>();
        framing.feed(ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 'x', 0, 0}), f -> got.add(bytes(f)));
        assertThat(got).containsExactly(new byte[] {'x'});
        assertThat(framing.frames()).isEqualTo(3);
    }

    @Test
    void aFrameOverTheLimitBreaksTheStreamForGood() {
        FramedStream framing = new FramedStream(100);
        List<byte[]> got = new ArrayList<>();
        ByteBuffer read = ByteBuffer.wrap(new byte[] {0, 1, 'a', 0, 101, 1, 2, 3});
        assertThat(framing.feed(read, f -> got.add(bytes(f)))).isEqualTo(FramedStream.Outcome.OVERSIZE);
        assertThat(got).as("the frames before it were delivered").containsExactly(new byte[] {'a'});
        assertThat(read.hasRemaining()).isFalse();
        assertThat(framing.feed(ByteBuffer.wrap(new byte[] {0, 1, 'b'}), f -> got.add(bytes(f))))
                .isEqualTo(FramedStream.Outcome.OVERSIZE);
        assertThat(got).hasSize(1);
        // split inside the oversize length too
        FramedStream split = new FramedStream(100);
        assertThat(split.feed(ByteBuffer.wrap(new byte[] {1}), f -> { })).isEqualTo(FramedStream.Outcome.OK);
        assertThat(split.feed(ByteBuffer.wrap(new byte[] {0}), f -> { })).isEqualTo(FramedStream.Outcome.OVERSIZE);
    }

    @Test
    void framingWritesTheLengthAndRefusesWhatDoesNotFit() {
        assertThat(FramedStream.frame(new byte[] {7, 8, 9})).containsExactly(0, 3, 7, 8, 9);
        assertThat(FramedStream.frame(new byte[300])).startsWith(1, 44);
        assertThat(FramedStream.frame(new byte[FramedStream.MAX_FRAME])).hasSize(FramedStream.MAX_FRAME + 2);
        assertThatThrownBy(() -> FramedStream.frame(new byte[FramedStream.MAX_FRAME + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("65535");
        assertThatThrownBy(() -> new FramedStream(0)).hasMessageContaining("frame limit");
        assertThatThrownBy(() -> new FramedStream(70_000)).hasMessageContaining("frame limit");
    }

    private static List<byte[]> payloads(int count, int maxLength, SplittableRandom random) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[random.nextInt(maxLength + 1)];
            random.nextBytes(p);
            out.add(p);
        }
        return out;
    }

    private static byte[] concat(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : payloads) {
            out.writeBytes(FramedStream.frame(p));
        }
        return out.toByteArray();
    }

    private static byte[] bytes(ByteBuffer frame) {
        byte[] b = new byte[frame.remaining()];
        frame.get(b);
        return b;
    }
}
