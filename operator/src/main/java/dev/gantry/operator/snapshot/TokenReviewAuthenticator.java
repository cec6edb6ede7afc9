package dev.gantry.operator.snapshot;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a snapshot stream start only for a dataplane that presents a ServiceAccount token ({@code
 * authorization: Bearer ...}) which the API server, asked with a TokenReview, authenticates for the
 * snapshot audience as one of the dataplane ServiceAccounts. Anything else is refused before a byte
 * of a snapshot (which carries private keys) is sent: no token or a bad one with UNAUTHENTICATED,
 * another identity with PERMISSION_DENIED. A token that passed is remembered for a minute (by its
 * hash), so reconnecting dataplanes do not each cost a review.
 */
public final class TokenReviewAuthenticator implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(TokenReviewAuthenticator.class);
  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration REMEMBER = Duration.ofMinutes(1);
  private static final int MAX_REMEMBERED = 1024;

  private final KubernetesClient client;
  private final String audience;
  private final Set<String> users;
  private final Clock clock;
  private final Map<String, Passed> passed = new ConcurrentHashMap<>();

  private record Passed(String user, Instant until) {}

  /**
   * @param serviceAccounts the dataplanes' ServiceAccounts, {@code namespace/name}
   */
  public TokenReviewAuthenticator(
      KubernetesClient client, String audience, Set<String> serviceAccounts, Clock clock) {
    this.client = requireNonNull(client, "client");
    this.audience = requireNonNull(audience, "audience");
    this.users =
        serviceAccounts.stream()
            .map(sa -> "system:serviceaccount:" + sa.replace('/', ':'))
            .collect(Collectors.toUnmodifiableSet());
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String peer = String.valueOf(call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
    String header = headers.get(AUTHORIZATION);
    if (header == null || !header.startsWith("Bearer ") || header.length() <= 7) {
      return refuse(
          call,
          Status.UNAUTHENTICATED,
          "a dataplane must present its ServiceAccount token (authorization: Bearer, audience "
              + audience
              + ")",
          peer);
    }
    String token = header.substring(7).strip();
    String key = hash(token);
    Instant now = clock.instant();
    Passed remembered = passed.get(key);
    String user;
    if (remembered != null && remembered.until().isAfter(now)) {
      user = remembered.user();
    } else {
      TokenReview review;
      try {
        review =
            client
                .authentication()
                .v1()
                .tokenReviews()
                .create(
                    new TokenReviewBuilder()
                        .withNewSpec()
                        .withToken(token)
                        .withAudiences(audience)
                        .endSpec()
                        .build());
      } catch (KubernetesClientException e) {
        return refuse(
            call,
            Status.UNAVAILABLE,
            "the token could not be reviewed (" + e.getCode() + "): retry later",
            peer);
      }
      var status = review.getStatus();
      if (status == null || !Boolean.TRUE.equals(status.getAuthenticated())) {
        return refuse(
            call,
            Status.UNAUTHENTICATED,
            "the token was not accepted for audience "
                + audience
                + (status == null || status.getError() == null ? "" : ": " + status.getError()),
            peer);
      }
      user = status.getUser() == null ? "" : status.getUser().getUsername();
      if (passed.size() >= MAX_REMEMBERED) {
        passed.clear(); // bounded: a burst of distinct tokens costs reviews, never memory
      }
      passed.put(key, new Passed(user, now.plus(REMEMBER)));
    }
    if (!users.contains(user)) {
      return refuse(
          call,
          Status.PERMISSION_DENIED,
          user + " is not a dataplane (expected one of " + users.stream().sorted().toList() + ")",
          peer);
    }
    return next.startCall(call, headers);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(
      ServerCall<Q, R> call, Status status, String why, String peer) {
    log.warn("snapshot stream from {} refused: {}", peer, why);
    call.close(status.withDescription(why), new Metadata());
    return new ServerCall.Listener<>() {};
  }

  private static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
