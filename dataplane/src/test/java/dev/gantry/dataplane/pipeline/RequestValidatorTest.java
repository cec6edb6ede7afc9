package dev.gantry.dataplane.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {

  private static HttpRequest request(HttpVersion version, String uri, String... headers) {
    HttpRequest request = new DefaultHttpRequest(version, HttpMethod.POST, uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.headers().add(headers[i], headers[i + 1]);
    }
    return request;
  }

  private static HttpRequest request(String uri, String... headers) {
    return request(HttpVersion.HTTP_1_1, uri, headers);
  }

  @Test
  void acceptsAnOriginFormRequestWithOneHost() {
    assertThat(RequestValidator.check(request("/a?b", "Host", "shop.example.com:8080"))).isNull();
  }

  @Test
  void acceptsExactlyChunkedInAnyCase() {
    assertThat(RequestValidator.check(request("/", "Host", "h", "Transfer-Encoding", "Chunked")))
        .isNull();
  }

  @Test
  void refusesContentLengthWithTransferEncoding() {
    assertThat(
            RequestValidator.check(
                request("/", "Host", "h", "Transfer-Encoding", "chunked", "Content-Length", "3")))
        .isEqualTo(RequestRejection.LENGTH_AND_ENCODING);
  }

  @Test
  void refusesAnyTransferEncodingButExactlyOneChunked() {
    for (String value : new String[] {"gzip, chunked", "identity", "chunked;x=1", "xchunked"}) {
      assertThat(RequestValidator.check(request("/", "Host", "h", "Transfer-Encoding", value)))
          .as(value)
          .isEqualTo(RequestRejection.TRANSFER_ENCODING);
    }
    assertThat(
            RequestValidator.check(
                request(
                    "/",
                    "Host",
                    "h",
                    "Transfer-Encoding",
                    "chunked",
                    "Transfer-Encoding",
                    "chunked")))
        .isEqualTo(RequestRejection.TRANSFER_ENCODING);
  }

  @Test
  void refusesRepeatedOrNonDecimalContentLength() {
    for (String value : new String[] {"+1", "0x1", "", "-1", "1 0", "1,1", "1234567890123456789"}) {
      assertThat(RequestValidator.check(request("/", "Host", "h", "Content-Length", value)))
          .as("'%s'", value)
          .isEqualTo(RequestRejection.CONTENT_LENGTH);
    }
    assertThat(
            RequestValidator.check(
                request("/", "Host", "h", "Content-Length", "1", "Content-Length", "1")))
        .isEqualTo(RequestRejection.CONTENT_LENGTH);
  }

  @Test
  void requiresExactlyOneWellFormedHostInHttp11() {
    assertThat(RequestValidator.check(request("/"))).isEqualTo(RequestRejection.HOST_MISSING);
    assertThat(RequestValidator.check(request("/", "Host", "a", "Host", "a")))
        .isEqualTo(RequestRejection.HOST_INVALID);
    for (String host : new String[] {"", "a b", "a/b", "a@b", "a\\b"}) {
      assertThat(RequestValidator.check(request("/", "Host", host)))
          .as("'%s'", host)
          .isEqualTo(RequestRejection.HOST_INVALID);
    }
  }

  @Test
  void letsHttp10OmitHost() {
    assertThat(RequestValidator.check(request(HttpVersion.HTTP_1_0, "/"))).isNull();
  }

  @Test
  void refusesAnAbsoluteFormAuthorityThatDiffersFromHost() {
    assertThat(RequestValidator.check(request("http://a.example/x", "Host", "b.example")))
        .isEqualTo(RequestRejection.HOST_INVALID);
    assertThat(RequestValidator.check(request("HTTP://A.example/x", "Host", "a.EXAMPLE"))).isNull();
  }

  @Test
  void refusesAsteriskAndAuthorityFormTargets() {
    assertThat(RequestValidator.check(request("*", "Host", "h")))
        .isEqualTo(RequestRejection.TARGET_INVALID);
    assertThat(RequestValidator.check(request("h:443", "Host", "h")))
        .isEqualTo(RequestRejection.TARGET_INVALID);
  }

  @Test
  void classifiesDecoderFailuresByStatus() {
    HttpRequest failed = request("/", "Host", "h");
    failed.setDecoderResult(DecoderResult.failure(new TooLongHttpLineException("long")));
    assertThat(RequestValidator.check(failed)).isEqualTo(RequestRejection.URI_TOO_LONG);
    failed.setDecoderResult(DecoderResult.failure(new TooLongHttpHeaderException("large")));
    assertThat(RequestValidator.check(failed)).isEqualTo(RequestRejection.HEADERS_TOO_LARGE);
    failed.setDecoderResult(DecoderResult.failure(new IllegalArgumentException("?")));
    assertThat(RequestValidator.check(failed)).isEqualTo(RequestRejection.MALFORMED);
  }
}
