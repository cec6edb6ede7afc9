package dev.gantry.dataplane.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2FrameReader;
import io.netty.handler.codec.http2.DefaultHttp2FrameWriter;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes and reads raw HTTP/2 frames with Netty's frame writer and reader, for tests that play a
 * client byte by byte. Not thread-safe; one instance per simulated connection.
 */
public final class H2Frames {

  private final DefaultHttp2FrameWriter writer = new DefaultHttp2FrameWriter();
  private final DefaultHttp2FrameReader reader = new DefaultHttp2FrameReader();
  private final EmbeddedChannel scratch = new EmbeddedChannel(new ChannelInboundHandlerAdapter());

  /** One frame-writing call on {@link DefaultHttp2FrameWriter}. */
  public interface FrameWrite {
    void write(DefaultHttp2FrameWriter writer, ChannelHandlerContext ctx, ChannelPromise promise);
  }

  /** Returns the client connection preface followed by an empty SETTINGS frame. */
  public ByteBuf preface() {
    ByteBuf out = Unpooled.buffer();
    out.writeBytes(Http2CodecUtil.connectionPrefaceBuf());
    out.writeBytes(encode((w, ctx, p) -> w.writeSettings(ctx, new Http2Settings(), p)));
    return out;
  }

  /** Returns a HEADERS frame on {@code streamId}. */
  public ByteBuf headers(int streamId, Http2Headers headers, boolean endStream) {
    return encode((w, ctx, p) -> w.writeHeaders(ctx, streamId, headers, 0, endStream, p));
  }

  /** Returns the bytes of one frame. */
  public ByteBuf encode(FrameWrite write) {
    ChannelHandlerContext ctx = scratch.pipeline().firstContext();
    write.write(writer, ctx, ctx.newPromise());
    ctx.flush();
    ByteBuf out = Unpooled.buffer();
    for (ByteBuf part; (part = scratch.readOutbound()) != null; ) {
      out.writeBytes(part);
      part.release();
    }
    return out;
  }

  /**
   * Reads every complete frame in {@code in} into {@code log}. A trailing partial frame stays with
   * the reader, which may already have consumed its header: keep passing the same buffer (or the
   * bytes that follow) to this instance, never restart a frame from its first byte.
   */
  public void read(ByteBuf in, Log log) {
    ChannelHandlerContext ctx = scratch.pipeline().firstContext();
    try {
      reader.readFrame(ctx, in, log);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    in.discardReadBytes();
  }

  /** The frames a client received. */
  public static final class Log extends Http2EventAdapter {
    public final List<Http2Settings> settings = new ArrayList<>();
    public final Map<Integer, Http2Headers> headers = new HashMap<>();

    /** The second HEADERS frame of each stream, if any: its trailers. */
    public final Map<Integer, Http2Headers> trailers = new HashMap<>();

    public final Map<Integer, StringBuilder> data = new HashMap<>();
    public final Map<Integer, Long> dataBytes = new HashMap<>();
    private final Map<Integer, java.io.ByteArrayOutputStream> raw = new HashMap<>();
    public final Map<Integer, Long> resets = new HashMap<>();
    public long connectionWindowUpdates;

    /** The error code of the GOAWAY received, or -1. */
    public long goAwayError = -1;

    public int endStreams;

    /** Returns the response headers of the first stream that got any, or null. */
    public Http2Headers firstHeaders() {
      return headers.isEmpty() ? null : headers.values().iterator().next();
    }

    /** Returns how many body bytes {@code streamId} received. */
    public long bodyBytes(int streamId) {
      return dataBytes.getOrDefault(streamId, 0L);
    }

    /** Returns the bytes of the body received on {@code streamId}. */
    public byte[] bodyBytesOf(int streamId) {
      java.io.ByteArrayOutputStream body = raw.get(streamId);
      return body == null ? new byte[0] : body.toByteArray();
    }

    /** Returns the body received on {@code streamId}, decoded as UTF-8. */
    public String body(int streamId) {
      StringBuilder body = data.get(streamId);
      return body == null ? "" : body.toString();
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings read) {
      settings.add(read);
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers read,
        int padding,
        boolean endOfStream) {
      if (headers.putIfAbsent(streamId, read) != null) {
        trailers.putIfAbsent(streamId, read);
      }
      endStreams += endOfStream ? 1 : 0;
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers read,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, read, padding, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf read, int padding, boolean endOfStream) {
      data.computeIfAbsent(streamId, id -> new StringBuilder())
          .append(read.toString(StandardCharsets.UTF_8));
      raw.computeIfAbsent(streamId, id -> new java.io.ByteArrayOutputStream())
          .writeBytes(io.netty.buffer.ByteBufUtil.getBytes(read));
      dataBytes.merge(streamId, (long) read.readableBytes(), Long::sum);
      endStreams += endOfStream ? 1 : 0;
      return read.readableBytes() + padding;
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      resets.put(streamId, errorCode);
    }

    @Override
    public void onGoAwayRead(
        ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      goAwayError = errorCode;
    }

    @Override
    public void onWindowUpdateRead(
        ChannelHandlerContext ctx, int streamId, int windowSizeIncrement) {
      if (streamId == 0) {
        connectionWindowUpdates += windowSizeIncrement;
      }
    }
  }
}
