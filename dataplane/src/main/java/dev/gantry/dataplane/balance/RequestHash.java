package dev.gantry.dataplane.balance;

import static java.util.Objects.requireNonNull;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.List;

/**
 * What a route hashes to pick an endpoint under consistent hashing: the first source that yields a
 * value. Immutable; safe from any thread.
 */
public record RequestHash(List<Source> sources) {
  /** No hashing: every pick is the balancer's plain one. */
  public static final RequestHash NONE = new RequestHash(List.of());

  /** Where a hash key comes from. */
  public sealed interface Source {}

  /** A request header; repeated headers are joined with {@code ,}. */
  public record Header(String name) implements Source {
    public Header {
      requireNonNull(name, "name");
    }
  }

  /** A request cookie. */
  public record Cookie(String name) implements Source {
    public Cookie {
      requireNonNull(name, "name");
    }
  }

  /** The TCP peer's IP address. */
  public record SourceIp() implements Source {}

  public RequestHash {
    sources = List.copyOf(requireNonNull(sources, "sources"));
  }

  /**
   * Returns the endpoint {@code balancer} picks for a request with {@code headers} from the client
   * at {@code clientIp} (its address as text, null when unknown): by the first key found, or the
   * balancer's plain pick when there is none.
   */
  public Endpoint pick(LoadBalancer balancer, HttpHeaders headers, String clientIp) {
    for (Source source : sources) {
      CharSequence key = keyOf(source, headers, clientIp);
      if (key != null) {
        return balancer.pick(KeyHash.of(key));
      }
    }
    return balancer.pick();
  }

  private static CharSequence keyOf(Source source, HttpHeaders headers, String clientIp) {
    return switch (source) {
      case Header h -> {
        List<String> values = headers.getAll(h.name());
        yield values.isEmpty() ? null : String.join(",", values);
      }
      case Cookie c -> cookie(headers, c.name());
      case SourceIp ip -> clientIp;
    };
  }

  private static String cookie(HttpHeaders headers, String name) {
    for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
      for (io.netty.handler.codec.http.cookie.Cookie c : ServerCookieDecoder.LAX.decode(header)) {
        if (c.name().equals(name)) {
          return c.value();
        }
      }
    }
    return null;
  }
}
