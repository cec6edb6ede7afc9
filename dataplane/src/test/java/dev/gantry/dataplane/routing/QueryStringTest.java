package dev.gantry.dataplane.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryStringTest {

  @Test
  void findsTheFirstOccurrenceOfAParameter() {
    assertThat(QueryString.firstValue("/p?a=1&b=2&a=3", "a")).isEqualTo("1");
    assertThat(QueryString.firstValue("/p?a=1&b=2&a=3", "b")).isEqualTo("2");
  }

  @Test
  void answersNullWithoutQueryOrParameter() {
    assertThat(QueryString.firstValue("/p", "a")).isNull();
    assertThat(QueryString.firstValue("/p?", "a")).isNull();
    assertThat(QueryString.firstValue("/p?ab=1", "a")).isNull();
  }

  @Test
  void answersEmptyForAParameterWithoutValue() {
    assertThat(QueryString.firstValue("/p?flag&x=1", "flag")).isEmpty();
    assertThat(QueryString.firstValue("/p?flag=", "flag")).isEmpty();
  }

  @Test
  void decodesNamesAndValues() {
    assertThat(QueryString.firstValue("/p?my%20key=a%2Fb+c", "my key")).isEqualTo("a/b c");
  }

  @Test
  void stopsAtTheFragment() {
    assertThat(QueryString.firstValue("/p?a=1#b=2", "b")).isNull();
    assertThat(QueryString.firstValue("/p?a=1#b=2", "a")).isEqualTo("1");
  }
}
