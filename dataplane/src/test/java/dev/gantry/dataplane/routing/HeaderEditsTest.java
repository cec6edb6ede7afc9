package dev.gantry.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderEditsTest {

  @Test
  void removesThenSetsThenAdds() {
    HeaderEdits edits =
        new HeaderEdits(
            List.of(new HeaderEdits.Header(AsciiString.of("x-set"), "new")),
            List.of(new HeaderEdits.Header(AsciiString.of("x-add"), "2")),
            List.of(AsciiString.of("x-gone")));
    HttpHeaders headers =
        new DefaultHttpHeaders()
            .add("X-Set", "old1")
            .add("X-Set", "old2")
            .add("X-Add", "1")
            .add("X-Gone", "bye")
            .add("X-Other", "kept");

    edits.applyTo(headers);

    assertThat(headers.getAll("x-set")).containsExactly("new");
    assertThat(headers.getAll("x-add")).containsExactly("1", "2");
    assertThat(headers.contains("x-gone")).isFalse();
    assertThat(headers.get("x-other")).isEqualTo("kept");
  }
}
