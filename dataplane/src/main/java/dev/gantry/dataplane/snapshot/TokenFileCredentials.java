package dev.gantry.dataplane.snapshot;

import static java.util.Objects.requireNonNull;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Presents the dataplane's ServiceAccount token to the operator ({@code authorization: Bearer}),
 * read from its file on every call: the kubelet rotates a projected token in place, and a stream
 * opened after the rotation must carry the new one. A file that cannot be read sends no token (the
 * operator refuses the stream, which is retried with backoff).
 */
public final class TokenFileCredentials implements ClientInterceptor {
  private static final Logger log = LoggerFactory.getLogger(TokenFileCredentials.class);
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  private final Path file;

  public TokenFileCredentials(Path file) {
    this.file = requireNonNull(file, "file");
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        try {
          String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
          if (!token.isEmpty()) {
            headers.put(AUTHORIZATION, "Bearer " + token);
          }
        } catch (IOException e) {
          log.warn("cannot read the token file {}: {}", file, e.toString());
        }
        super.start(listener, headers);
      }
    };
  }
}
