package dev.tpp.proxy.route.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/**
 * A head being written: plain array stores into one array per thread, then a single copy into a
 * buffer of its exact size ({@link #toBuffer}), instead of a bounds-checked buffer write, and a
 * {@code byte[]} of its own, per piece of text. Text goes as its chars' low bytes, as Netty's
 * encoder wrote them (decoded heads hold no chars above 0xFF). One writer per thread: a head is
 * written whole before the next begins.
 */
final class HeadBytes {
  private static final FastThreadLocal<HeadBytes> LOCAL =
      new FastThreadLocal<>() {
        @Override
        protected HeadBytes initialValue() {
          return new HeadBytes();
        }
      };

  private byte[] bytes = new byte[1024];
  private int length;

  private HeadBytes() {}

  /** This thread's writer, emptied. */
  static HeadBytes begin() {
    HeadBytes head = LOCAL.get();
    head.length = 0;
    return head;
  }

  HeadBytes put(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, bytes, length, b.length);
    length += b.length;
    return this;
  }

  HeadBytes put(char c) {
    ensure(1);
    bytes[length++] = (byte) c;
    return this;
  }

  HeadBytes crlf() {
    ensure(2);
    bytes[length] = '\r';
    bytes[length + 1] = '\n';
    length += 2;
    return this;
  }

  HeadBytes colonSpace() {
    ensure(2);
    bytes[length] = ':';
    bytes[length + 1] = ' ';
    length += 2;
    return this;
  }

  @SuppressWarnings("deprecation") // getBytes(int, int, byte[], int) is the low-byte copy wanted
  HeadBytes put(CharSequence text) {
    int n = text.length();
    ensure(n);
    if (text instanceof String s) {
      s.getBytes(0, n, bytes, length);
    } else if (text instanceof AsciiString a) {
      System.arraycopy(a.array(), a.arrayOffset(), bytes, length, n);
    } else {
      for (int i = 0; i < n; i++) {
        bytes[length + i] = (byte) text.charAt(i);
      }
    }
    length += n;
    return this;
  }

  /** {@code value} in decimal. */
  HeadBytes put(long value) {
    return put(Long.toString(value));
  }

  /** The head so far, copied into a new buffer the caller owns. */
  ByteBuf toBuffer(ByteBufAllocator alloc) {
    return alloc.buffer(length).writeBytes(bytes, 0, length);
  }

  /** The head so far as text, for tests. */
  @Override
  public String toString() {
    return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
  }

  private void ensure(int more) {
    if (length + more > bytes.length) {
      byte[] grown = new byte[Math.max(bytes.length * 2, length + more)];
      System.arraycopy(bytes, 0, grown, 0, length);
      bytes = grown;
    }
  }
}
