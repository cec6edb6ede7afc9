package dev.gantry.dataplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.ReadTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class UpstreamExceptionTest {

  @Test
  void classifiesTransportFailuresByKind() {
    assertThat(UpstreamException.classify(new ConnectException("Connection refused")))
        .isEqualTo(UpstreamException.Kind.CONNECT_REFUSED);
    assertThat(UpstreamException.classify(new ConnectTimeoutException("connection timed out")))
        .isEqualTo(UpstreamException.Kind.CONNECT_TIMEOUT);
    assertThat(UpstreamException.classify(new UnknownHostException("db.example.com")))
        .isEqualTo(UpstreamException.Kind.RESOLVE_FAILED);
    assertThat(UpstreamException.classify(new IOException("Connection reset by peer")))
        .isEqualTo(UpstreamException.Kind.RESET);
    assertThat(UpstreamException.classify(new ClosedChannelException()))
        .isEqualTo(UpstreamException.Kind.RESET);
    assertThat(UpstreamException.classify(new DecoderException("bad")))
        .isEqualTo(UpstreamException.Kind.PROTOCOL_ERROR);
    assertThat(UpstreamException.classify(ReadTimeoutException.INSTANCE))
        .isEqualTo(UpstreamException.Kind.TIMEOUT);
  }

  @Test
  void carriesNoStackTrace() {
    UpstreamException failure = UpstreamException.from(new ConnectException("refused"));

    assertThat(failure.getStackTrace()).isEmpty();
    assertThat(failure.kind().tag()).isEqualTo("connect_refused");
    assertThat(failure).hasMessage("refused");
  }
}
