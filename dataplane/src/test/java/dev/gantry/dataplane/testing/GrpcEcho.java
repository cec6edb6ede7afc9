package dev.gantry.dataplane.testing;

import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A grpc-java backend for tests, with methods of every kind over UTF-8 string messages (no
 * generated code): {@code gantry.test.Echo/Unary} answers {@code "<name>:<request>"}; {@code
 * ServerStream} takes {@code "<count> <size>"} and streams that many messages of that size, then
 * ends ABORTED ("done") with the trailer {@code x-detail: sent <count>}; {@code ClientStream}
 * answers {@code "received <n>"}; {@code Bidi} answers each message with {@code "pong <message>"};
 * {@code Fail} ends NOT_FOUND ("no such item") with {@code x-detail: about <request>}; {@code Hang}
 * never answers.
 */
public final class GrpcEcho implements AutoCloseable {

  public static final Metadata.Key<String> DETAIL =
      Metadata.Key.of("x-detail", Metadata.ASCII_STRING_MARSHALLER);

  public static final MethodDescriptor.Marshaller<String> UTF8 =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
          return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
          try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  public static final MethodDescriptor<String, String> UNARY = method("Unary", MethodType.UNARY);
  public static final MethodDescriptor<String, String> SERVER_STREAM =
      method("ServerStream", MethodType.SERVER_STREAMING);
  public static final MethodDescriptor<String, String> CLIENT_STREAM =
      method("ClientStream", MethodType.CLIENT_STREAMING);
  public static final MethodDescriptor<String, String> BIDI =
      method("Bidi", MethodType.BIDI_STREAMING);
  public static final MethodDescriptor<String, String> FAIL = method("Fail", MethodType.UNARY);
  public static final MethodDescriptor<String, String> HANG = method("Hang", MethodType.UNARY);

  private enum MethodType {
    UNARY,
    SERVER_STREAMING,
    CLIENT_STREAMING,
    BIDI_STREAMING
  }

  private static MethodDescriptor<String, String> method(String name, MethodType type) {
    return MethodDescriptor.<String, String>newBuilder()
        .setType(MethodDescriptor.MethodType.valueOf(type.name()))
        .setFullMethodName("gantry.test.Echo/" + name)
        .setRequestMarshaller(UTF8)
        .setResponseMarshaller(UTF8)
        .build();
  }

  /**
   * Starts a backend on loopback that answers unary calls with {@code "<name>:<request>"} and
   * counts them in {@code calls}.
   */
  public static GrpcEcho start(String name, AtomicInteger calls) throws IOException {
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder("gantry.test.Echo")
            .addMethod(
                UNARY,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      calls.incrementAndGet();
                      response.onNext(name + ":" + request);
                      response.onCompleted();
                    }))
            .addMethod(
                SERVER_STREAM,
                ServerCalls.asyncServerStreamingCall(
                    (request, response) -> {
                      int count = Integer.parseInt(request.split(" ")[0]);
                      String chunk = "x".repeat(Integer.parseInt(request.split(" ")[1]));
                      for (int i = 0; i < count; i++) {
                        response.onNext(i + ":" + chunk);
                      }
                      Metadata trailers = new Metadata();
                      trailers.put(DETAIL, "sent " + count);
                      response.onError(
                          Status.ABORTED.withDescription("done").asException(trailers));
                    }))
            .addMethod(
                CLIENT_STREAM,
                ServerCalls.asyncClientStreamingCall(
                    response ->
                        new StreamObserver<>() {
                          private int count;

                          @Override
                          public void onNext(String value) {
                            count++;
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            response.onNext("received " + count);
                            response.onCompleted();
                          }
                        }))
            .addMethod(
                BIDI,
                ServerCalls.asyncBidiStreamingCall(
                    response ->
                        new StreamObserver<>() {
                          @Override
                          public void onNext(String value) {
                            response.onNext("pong " + value);
                          }

                          @Override
                          public void onError(Throwable t) {}

                          @Override
                          public void onCompleted() {
                            response.onCompleted();
                          }
                        }))
            .addMethod(
                FAIL,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      Metadata trailers = new Metadata();
                      trailers.put(DETAIL, "about " + request);
                      response.onError(
                          Status.NOT_FOUND.withDescription("no such item").asException(trailers));
                    }))
            .addMethod(HANG, ServerCalls.asyncUnaryCall((request, response) -> {}))
            .build();
    Server server =
        NettyServerBuilder.forAddress(
                new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create())
            .addService(echo)
            .build()
            .start();
    return new GrpcEcho(server);
  }

  private final Server server;

  private GrpcEcho(Server server) {
    this.server = server;
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getListenSockets().getFirst();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
