package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each listener limit at its default, one below, at and one above: the request line (414), the
 * header block (431), the header count (431), requests per connection and the headers timeout
 * (408).
 */
class EdgeLimitsTest {

  private static final ListenerLimits LIMITS = ListenerLimits.DEFAULT;
  private static final String HOST_LINE = "Host: web.example.com";

  private EdgeConnection client = EdgeConnection.open(HttpServerConfig.defaults());

  @AfterEach
  void tearDown() {
    client.finishAndReleaseAll();
  }

  /** Returns a GET request line ({@code GET /direct?q=... HTTP/1.1}) of exactly {@code length}. */
  private static String requestLine(int length) {
    String prefix = "GET /direct?q=";
    String suffix = " HTTP/1.1";
    return prefix + "a".repeat(length - prefix.length() - suffix.length()) + suffix;
  }

  private String get(String requestLine, String headers) {
    return client.exchange(requestLine + "\r\n" + headers + "\r\n");
  }

  @Test
  void acceptsARequestLineUpToTheLimit() {
    assertThat(get(requestLine(LIMITS.maxRequestLineBytes() - 1), HOST_LINE + "\r\n"))
        .startsWith("HTTP/1.1 200 ");
    assertThat(get(requestLine(LIMITS.maxRequestLineBytes()), HOST_LINE + "\r\n"))
        .startsWith("HTTP/1.1 200 ");
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void answers414AndClosesForARequestLineOverTheLimit() {
    String response = get(requestLine(LIMITS.maxRequestLineBytes() + 1), HOST_LINE + "\r\n");

    assertThat(response)
        .startsWith("HTTP/1.1 414 ")
        .containsIgnoringCase("connection: close\r\n")
        .endsWith("request line too long");
    assertThat(client.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.URI_TOO_LONG)).isEqualTo(1);
  }

  /** Returns header lines totalling exactly {@code bytes} without their CRLFs, Host first. */
  private static String headerBlock(int bytes) {
    StringBuilder block = new StringBuilder(HOST_LINE).append("\r\n");
    int left = bytes - HOST_LINE.length();
    while (left > 0) {
      int line = Math.min(left, 4000);
      String name = "X-Pad-" + (block.length() % 100000) + ": ";
      if (line < name.length() + 1) {
        // too short for one more field: lengthen the previous one instead
        block.insert(block.length() - 2, "b".repeat(line));
        break;
      }
      block.append(name).append("a".repeat(line - name.length())).append("\r\n");
      left -= line;
    }
    return block.toString();
  }

  @Test
  void acceptsAHeaderBlockUpToTheLimit() {
    assertThat(get(requestLine(30), headerBlock(LIMITS.maxHeaderBytes() - 1)))
        .startsWith("HTTP/1.1 200 ");
    assertThat(get(requestLine(30), headerBlock(LIMITS.maxHeaderBytes())))
        .startsWith("HTTP/1.1 200 ");
  }

  @Test
  void answers431ForAHeaderBlockOverTheLimit() {
    String response = get(requestLine(30), headerBlock(LIMITS.maxHeaderBytes() + 1));

    assertThat(response).startsWith("HTTP/1.1 431 ").endsWith("request headers too large");
    assertThat(client.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.HEADERS_TOO_LARGE)).isEqualTo(1);
  }

  private static String headerCount(int count) {
    StringBuilder block = new StringBuilder(HOST_LINE).append("\r\n");
    for (int i = 1; i < count; i++) {
      block.append("X-H").append(i).append(": v\r\n");
    }
    return block.toString();
  }

  @Test
  void acceptsHeaderFieldsUpToTheCountLimit() {
    assertThat(get(requestLine(30), headerCount(LIMITS.maxHeaderCount() - 1)))
        .startsWith("HTTP/1.1 200 ");
    assertThat(get(requestLine(30), headerCount(LIMITS.maxHeaderCount())))
        .startsWith("HTTP/1.1 200 ");
  }

  @Test
  void answers431ForHeaderFieldsOverTheCountLimit() {
    String response = get(requestLine(30), headerCount(LIMITS.maxHeaderCount() + 1));

    assertThat(response).startsWith("HTTP/1.1 431 ").endsWith("too many request headers");
    assertThat(client.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.TOO_MANY_HEADERS)).isEqualTo(1);
  }

  @Test
  void closesTheConnectionWithTheResponseToItsLastAllowedRequest() {
    String request = "GET /direct HTTP/1.1\r\n" + HOST_LINE + "\r\n\r\n";
    for (int i = 1; i < LIMITS.maxRequestsPerConnection(); i++) {
      assertThat(client.exchange(request))
          .as("response %d", i)
          .startsWith("HTTP/1.1 200 ")
          .doesNotContainIgnoringCase("connection: close");
    }
    assertThat(client.isOpen()).isTrue();

    String last = client.exchange(request + request); // the 1,000th and, pipelined, the 1,001st

    assertThat(last).startsWith("HTTP/1.1 200 ").containsIgnoringCase("connection: close\r\n");
    assertThat(last.split("HTTP/1.1 ", -1)).as("one response only").hasSize(2);
    assertThat(client.isOpen()).isFalse();
  }

  @Test
  void answers408WhenTheHeadersAreIncompleteAtTheHeadersTimeout() {
    client.freezeTime();
    client.writeInbound(EdgeConnection.bytes("GET /direct HTTP/1.1\r\n" + HOST_LINE + "\r\n"));
    Duration timeout = LIMITS.headersTimeout();

    client.advanceTimeBy(timeout.toNanos() - 1, TimeUnit.NANOSECONDS);
    client.runScheduledPendingTasks();
    assertThat(client.written()).isEmpty();

    client.advanceTimeBy(1, TimeUnit.NANOSECONDS);
    client.runScheduledPendingTasks();
    client.runPendingTasks();

    assertThat(client.written()).startsWith("HTTP/1.1 408 ").endsWith("request timeout");
    assertThat(client.isOpen()).isFalse();
    assertThat(client.rejected(RequestRejection.HEADERS_TIMEOUT)).isEqualTo(1);
  }

  @Test
  void startsTheHeadersClockAtTheFirstByteNotAtTheEndOfTheLastResponse() {
    client.freezeTime();
    assertThat(client.exchange("GET /direct HTTP/1.1\r\n" + HOST_LINE + "\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ");
    client.advanceTimeBy(LIMITS.headersTimeout().toNanos() * 2, TimeUnit.NANOSECONDS);
    client.runScheduledPendingTasks();

    assertThat(client.exchange("GET /direct HTTP/1.1\r\n" + HOST_LINE + "\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ");
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void doesNotStartTheHeadersClockForStrayLineBreaksBetweenRequests() {
    client.freezeTime();
    assertThat(client.exchange("GET /direct HTTP/1.1\r\n" + HOST_LINE + "\r\n\r\n\r\n"))
        .startsWith("HTTP/1.1 200 ");
    client.advanceTimeBy(LIMITS.headersTimeout().toNanos() * 2, TimeUnit.NANOSECONDS);
    client.runScheduledPendingTasks();

    assertThat(client.written()).isEmpty();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void timesAPipelinedHeadFromTheEndOfThePreviousExchangeNotWhileItsResponseStreams() {
    client.freezeTime();
    long timeout = LIMITS.headersTimeout().toNanos();
    client.writeInbound(
        EdgeConnection.bytes(
            "GET /api HTTP/1.1\r\n" + HOST_LINE + "\r\n\r\nGET /direct HTTP/1.1\r\n"));
    EmbeddedChannel upstream = client.upstreams.last();
    EdgeConnection.outbound(upstream);

    client.advanceTimeBy(timeout * 2, TimeUnit.NANOSECONDS); // a slow response
    client.runScheduledPendingTasks();
    upstream.writeInbound(EdgeConnection.bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    assertThat(client.written()).startsWith("HTTP/1.1 200 OK\r\n").doesNotContain("408");

    client.advanceTimeBy(timeout - 1, TimeUnit.NANOSECONDS);
    client.runScheduledPendingTasks();
    assertThat(client.written()).isEmpty();
    client.advanceTimeBy(1, TimeUnit.NANOSECONDS);
    client.runScheduledPendingTasks();
    client.runPendingTasks();

    assertThat(client.written()).startsWith("HTTP/1.1 408 ");
    upstream.finishAndReleaseAll();
  }
}
