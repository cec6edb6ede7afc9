package dev.gantry.dataplane.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Decodes the base64 body of a gRPC-Web text-mode request as it streams, whatever way the chunks
 * cut it: a group of four characters split across chunks is finished by the next one, and each
 * group decodes on its own, so bodies made of several padded base64 strings (as clients may send)
 * decode too. Line breaks and spaces are skipped. One instance per request; confined to its event
 * loop.
 */
final class GrpcWebTextDecoder {

  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = (byte) i;
    }
  }

  private final int[] group = new int[4];
  private int filled;

  /**
   * Returns the decoded bytes of {@code content} (released), as content of the same kind: a last
   * content keeps its trailers.
   *
   * @throws IllegalArgumentException when the body is not base64, or ends inside a group
   */
  HttpContent decode(HttpContent content) {
    ByteBuf in = content.content();
    ByteBuf out = in.alloc().buffer(in.readableBytes() / 4 * 3 + 3);
    try {
      for (int i = in.readerIndex(), end = in.writerIndex(); i < end; i++) {
        accept(in.getByte(i), out);
      }
      if (content instanceof LastHttpContent last) {
        if (filled != 0) {
          throw new IllegalArgumentException("base64 body ends inside a group of four characters");
        }
        LastHttpContent decoded = new DefaultLastHttpContent(out);
        decoded.trailingHeaders().set(last.trailingHeaders());
        return decoded;
      }
      return new DefaultHttpContent(out);
    } catch (RuntimeException e) {
      out.release();
      throw e;
    } finally {
      content.release();
    }
  }

  private void accept(byte c, ByteBuf out) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
      return;
    }
    int value;
    if (c == '=') {
      if (filled < 2) {
        throw new IllegalArgumentException("base64 padding where a group needs data");
      }
      value = -2;
    } else {
      value = c >= 0 ? VALUES[c] : -1;
      if (value < 0 || (filled > 0 && group[filled - 1] == -2)) {
        throw new IllegalArgumentException("not base64: byte 0x" + Integer.toHexString(c & 0xFF));
      }
    }
    group[filled++] = value;
    if (filled == 4) {
      filled = 0;
      int bits = group[0] << 18 | group[1] << 12;
      out.writeByte(bits >> 16);
      if (group[2] != -2) {
        bits |= group[2] << 6;
        out.writeByte(bits >> 8 & 0xFF);
        if (group[3] != -2) {
          out.writeByte((bits | group[3]) & 0xFF);
        }
      } else if (group[3] != -2) {
        throw new IllegalArgumentException("base64 data after padding");
      }
    }
  }
}
