package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class MessageRewriterTest {

  private static HttpRequest request(String uri) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
  }

  private static final Forwarding UNTRUSTED = new Forwarding("192.0.2.7", false, "http", false);
  private static final Forwarding TRUSTED = new Forwarding("192.0.2.7", true, "http", false);

  private static HttpRequest upstream(HttpRequest request) {
    return upstream(request, UNTRUSTED);
  }

  private static HttpRequest upstream(HttpRequest request, Forwarding forwarding) {
    return MessageRewriter.upstreamRequest(request, RequestTarget.of(request), forwarding);
  }

  @Test
  void dropsHopByHopHeadersAndThoseNamedByConnection() {
    HttpRequest request = request("/a");
    request
        .headers()
        .add("Connection", "keep-alive, X-Secret")
        .add("Connection", "x-other")
        .add("X-Secret", "s")
        .add("X-Other", "o")
        .add("Keep-Alive", "timeout=5")
        .add("TE", "trailers")
        .add("Trailer", "X-T")
        .add("Upgrade", "h2c")
        .add("Proxy-Connection", "keep-alive")
        .add("Proxy-Authorization", "Basic eDp5")
        .add("HTTP2-Settings", "AAMAAABkAAQAAP__")
        .add("Transfer-Encoding", "gzip, chunked")
        .add("X-Custom", "kept");

    HttpRequest upstream = upstream(request);

    assertThat(upstream.headers().names())
        .map(String::toLowerCase)
        .doesNotContain(
            "connection",
            "x-secret",
            "x-other",
            "keep-alive",
            "te",
            "trailer",
            "upgrade",
            "proxy-connection",
            "proxy-authorization",
            "http2-settings")
        .contains("x-custom");
    assertThat(upstream.headers().get("Transfer-Encoding")).isEqualTo("chunked");
  }

  @Test
  void appendsATrustedPeerToItsXForwardedForChain() {
    HttpRequest request = request("/a");
    request.headers().add("X-Forwarded-For", "203.0.113.9").add("X-Forwarded-For", "198.51.100.1");

    assertThat(upstream(request, TRUSTED).headers().getAll("X-Forwarded-For"))
        .containsExactly("203.0.113.9, 198.51.100.1, 192.0.2.7");
  }

  @Test
  void replacesTheXForwardedForOfAnUntrustedPeerWithItsAddress() {
    HttpRequest request = request("/a");
    request.headers().add("X-Forwarded-For", "203.0.113.9");

    assertThat(upstream(request).headers().getAll("X-Forwarded-For")).containsExactly("192.0.2.7");
  }

  @Test
  void keepsTheForwardingHeadersOfATrustedPeer() {
    HttpRequest request = request("/a");
    request
        .headers()
        .set("Host", "internal:8080")
        .set("X-Forwarded-Proto", "https")
        .set("X-Forwarded-Host", "shop.example.com")
        .set("X-Request-Id", "abc-123");

    HttpRequest upstream = upstream(request, TRUSTED);

    assertThat(upstream.headers().get("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(upstream.headers().get("X-Forwarded-Host")).isEqualTo("shop.example.com");
    assertThat(upstream.headers().get("X-Request-Id")).isEqualTo("abc-123");
  }

  @Test
  void replacesAClientsXForwardedClientCertWithTheVerifiedOneOrNone() {
    HttpRequest request = request("/");
    request.headers().add("X-Forwarded-Client-Cert", "Hash=forged");
    request.headers().add("x-forwarded-client-cert", "Hash=forged-again");
    Forwarding verified = new Forwarding("192.0.2.7", true, "https", false, "Hash=abc");

    assertThat(upstream(request, TRUSTED).headers().contains("X-Forwarded-Client-Cert"))
        .as("not even a trusted proxy's")
        .isFalse();
    assertThat(upstream(request, verified).headers().getAll("X-Forwarded-Client-Cert"))
        .containsExactly("Hash=abc");
  }

  @Test
  void generatesARequestIdUnlessATrustedPeerSentAWellFormedOne() {
    HttpRequest request = request("/a");
    request.headers().set("X-Request-Id", "client-chosen");

    String untrusted = upstream(request).headers().get("X-Request-Id");
    String generated = upstream(request("/a"), TRUSTED).headers().get("X-Request-Id");
    request.headers().set("X-Request-Id", "x".repeat(201));
    String tooLong = upstream(request, TRUSTED).headers().get("X-Request-Id");

    assertThat(untrusted).matches("[0-9a-f]{32}");
    assertThat(generated).matches("[0-9a-f]{32}").isNotEqualTo(untrusted);
    assertThat(tooLong).matches("[0-9a-f]{32}");
  }

  @Test
  void neverLetsConnectionRemoveFramingHostOrForwardingHeaders() {
    HttpRequest request = request("/a");
    request
        .headers()
        .set("Host", "h")
        .set("Content-Length", "5")
        .set("X-Request-Id", "r")
        .set("Connection", "Content-Length, Host, X-Forwarded-For, X-Request-Id, X-Forwarded-Host");

    HttpRequest upstream = upstream(request, TRUSTED);

    assertThat(upstream.headers().get("Content-Length")).isEqualTo("5");
    assertThat(upstream.headers().get("Host")).isEqualTo("h");
    assertThat(upstream.headers().get("X-Forwarded-For")).isEqualTo("192.0.2.7");
    assertThat(upstream.headers().get("X-Forwarded-Host")).isEqualTo("h");
    assertThat(upstream.headers().get("X-Request-Id")).isEqualTo("r");
  }

  @Test
  void keepsTheContentLengthOfAResponseWhoseConnectionNamesIt() {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set("Content-Length", "3").set("Connection", "content-length");

    assertThat(
            MessageRewriter.downstreamResponse(response, HttpVersion.HTTP_1_1)
                .headers()
                .get("Content-Length"))
        .isEqualTo("3");
  }

  @Test
  void neverForwardsAnH2cUpgradeEvenOnAWebSocketRoute() {
    HttpRequest request = request("/a");
    request.headers().set("Upgrade", "h2c").set("Connection", "Upgrade, HTTP2-Settings");

    HttpRequest upstream = upstream(request, new Forwarding("192.0.2.7", false, "http", true));

    assertThat(upstream.headers().contains("Upgrade")).isFalse();
    assertThat(upstream.headers().contains("Connection")).isFalse();
  }

  @Test
  void forwardsAWebSocketUpgradeOnlyOnAWebSocketRoute() {
    HttpRequest request = request("/a");
    request.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");

    assertThat(upstream(request).headers().contains("Upgrade")).isFalse();
    HttpRequest upstream = upstream(request, new Forwarding("192.0.2.7", false, "http", true));
    assertThat(upstream.headers().get("Upgrade")).isEqualTo("websocket");
    assertThat(upstream.headers().get("Connection")).isEqualTo("upgrade");
  }

  @Test
  void startsXForwardedForWithTheClient() {
    assertThat(upstream(request("/a")).headers().get("X-Forwarded-For")).isEqualTo("192.0.2.7");
  }

  @Test
  void setsXForwardedProtoAndHostFromWhatThisHopSaw() {
    HttpRequest request = request("/a");
    request.headers().set("Host", "Shop.Example.com:8080").set("X-Forwarded-Proto", "https");

    HttpRequest upstream = upstream(request);

    assertThat(upstream.headers().get("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(upstream.headers().get("X-Forwarded-Host")).isEqualTo("Shop.Example.com:8080");
    assertThat(upstream.headers().get("Host")).isEqualTo("Shop.Example.com:8080");
  }

  @Test
  void sendsAbsoluteFormTargetsInOriginFormWithTheirAuthorityAsHost() {
    HttpRequest request = request("http://shop.example.com/cart?id=1");
    request.headers().set("Host", "ignored.example.com");

    HttpRequest upstream = upstream(request);

    assertThat(upstream.uri()).isEqualTo("/cart?id=1");
    assertThat(upstream.headers().get("Host")).isEqualTo("shop.example.com");
    assertThat(upstream.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
  }

  @Test
  void keepsTheContentLengthOfAFixedLengthBody() {
    HttpRequest request = request("/a");
    request.headers().set("Content-Length", "5");

    assertThat(upstream(request).headers().get("Content-Length")).isEqualTo("5");
  }

  @Test
  void keepsTheContentLengthOfAResponse() {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response
        .headers()
        .set("Content-Length", "10")
        .set("Connection", "close")
        .set("Keep-Alive", "timeout=1");

    HttpResponse downstream = MessageRewriter.downstreamResponse(response, HttpVersion.HTTP_1_1);

    assertThat(downstream.headers().get("Content-Length")).isEqualTo("10");
    assertThat(downstream.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
    assertThat(downstream.headers().contains(HttpHeaderNames.KEEP_ALIVE)).isFalse();
    assertThat(downstream.headers().contains(HttpHeaderNames.TRANSFER_ENCODING)).isFalse();
  }

  @Test
  void chunksAResponseWithoutLengthForHttp11Clients() {
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_0, HttpResponseStatus.OK);

    HttpResponse downstream = MessageRewriter.downstreamResponse(response, HttpVersion.HTTP_1_1);

    assertThat(downstream.headers().get("Transfer-Encoding")).isEqualTo("chunked");
  }

  @Test
  void neverChunksForHttp10ClientsOrBodilessStatuses() {
    HttpResponse ok = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    HttpResponse notModified =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);

    assertThat(
            MessageRewriter.downstreamResponse(ok, HttpVersion.HTTP_1_0)
                .headers()
                .contains(HttpHeaderNames.TRANSFER_ENCODING))
        .isFalse();
    assertThat(
            MessageRewriter.downstreamResponse(notModified, HttpVersion.HTTP_1_1)
                .headers()
                .contains(HttpHeaderNames.TRANSFER_ENCODING))
        .isFalse();
  }
}
