package dev.gantry.operator.compile.annotation;

import static java.util.Objects.requireNonNull;

import dev.gantry.operator.compile.AddressRange;
import dev.gantry.operator.compile.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the annotations of one object under one prefix, as typed values. A value that does not
 * parse gives an empty result and an {@code InvalidAnnotation} problem naming the annotation, the
 * value and what was expected. Remembers which annotations were read, so that the caller can report
 * the others. Confined to one compile.
 */
final class AnnotationReader {
  static final String INVALID = "InvalidAnnotation";

  private static final Pattern SECONDS = Pattern.compile("[0-9]{1,6}");
  private static final Pattern GATEWAY_DURATION = Pattern.compile("([0-9]{1,5}(h|m|s|ms)){1,4}");
  private static final Pattern DURATION_PART = Pattern.compile("([0-9]{1,5})(ms|h|m|s)");
  private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([kKmMgG]?)");
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}");
  private static final Pattern OBJECT_NAME =
      Pattern.compile("[a-z0-9]([-.a-z0-9]{0,251}[a-z0-9])?");

  private final String prefix;
  private final Map<String, String> annotations;
  private final List<Problem> problems;
  private final Set<String> read = new HashSet<>();

  /**
   * @param prefix e.g. {@code nginx.ingress.kubernetes.io/}
   * @param problems where problems go
   */
  AnnotationReader(String prefix, Map<String, String> annotations, List<Problem> problems) {
    this.prefix = requireNonNull(prefix, "prefix");
    this.annotations = requireNonNull(annotations, "annotations");
    this.problems = requireNonNull(problems, "problems");
  }

  /** Returns the names under the prefix that were never read, sorted. */
  List<String> unread() {
    return annotations.keySet().stream()
        .filter(k -> k.startsWith(prefix) && !read.contains(k))
        .sorted()
        .toList();
  }

  /** Returns the raw value, trimmed; empty when absent or blank. */
  Optional<String> string(String name) {
    read.add(prefix + name);
    String value = annotations.get(prefix + name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  boolean has(String name) {
    return string(name).isPresent();
  }

  /** {@code "true"} or {@code "false"}. */
  Optional<Boolean> bool(String name) {
    return string(name)
        .flatMap(
            v ->
                switch (v.toLowerCase(Locale.ROOT)) {
                  case "true" -> Optional.of(true);
                  case "false" -> Optional.of(false);
                  default -> invalid(name, v, "true or false");
                });
  }

  /** {@code "on"} or {@code "off"}, as nginx's own switches are written. */
  Optional<Boolean> onOff(String name) {
    return string(name)
        .flatMap(
            v ->
                switch (v.toLowerCase(Locale.ROOT)) {
                  case "on" -> Optional.of(true);
                  case "off" -> Optional.of(false);
                  default -> invalid(name, v, "on or off");
                });
  }

  /** A whole number from {@code min} to {@code max}. */
  OptionalInt integer(String name, int min, int max) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return OptionalInt.empty();
    }
    try {
      int n = Integer.parseInt(value.get());
      if (n >= min && n <= max) {
        return OptionalInt.of(n);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    invalid(name, value.get(), "a whole number from " + min + " to " + max);
    return OptionalInt.empty();
  }

  /** Whole seconds, as ingress-nginx's timeouts: {@code "60"}. */
  Optional<Duration> seconds(String name) {
    return string(name)
        .flatMap(
            v ->
                SECONDS.matcher(v).matches()
                    ? Optional.of(Duration.ofSeconds(Long.parseLong(v)))
                    : invalid(name, v, "whole seconds, such as 60"));
  }

  /** Gateway API's duration: {@code 1m30s}, {@code 500ms}. */
  Optional<Duration> duration(String name) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!GATEWAY_DURATION.matcher(value.get()).matches()) {
      return invalid(name, value.get(), "a duration such as 30s, 1m30s or 500ms");
    }
    Duration total = Duration.ZERO;
    Matcher m = DURATION_PART.matcher(value.get());
    while (m.find()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
              });
    }
    return Optional.of(total);
  }

  /** A size in bytes as nginx writes it ({@code 8m}, {@code 1g}, {@code 512k}, {@code 1024}). */
  OptionalLong size(String name) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    Matcher m = SIZE.matcher(value.get());
    if (!m.matches()) {
      invalid(name, value.get(), "a size such as 1024, 512k, 8m or 1g (0: no limit)");
      return OptionalLong.empty();
    }
    long n = Long.parseLong(m.group(1));
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          default -> 0;
        };
    if (n > (Long.MAX_VALUE >> shift)) {
      invalid(name, value.get(), "a size below 8 exabytes");
      return OptionalLong.empty();
    }
    return OptionalLong.of(n << shift);
  }

  /** One of {@code allowed}, compared without case; returned as listed there. */
  Optional<String> oneOf(String name, String... allowed) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    for (String a : allowed) {
      if (a.equalsIgnoreCase(value.get())) {
        return Optional.of(a);
      }
    }
    return invalid(name, value.get(), "one of " + String.join(", ", allowed));
  }

  /** A comma-separated list, items trimmed, empty items dropped. */
  List<String> list(String name) {
    return string(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList())
        .orElse(List.of());
  }

  /** A comma-separated list of HTTP tokens (methods, header names). */
  List<String> tokens(String name) {
    List<String> items = list(name);
    for (String item : items) {
      if (!TOKEN.matcher(item).matches()) {
        invalid(name, item, "comma-separated names of letters, digits and -");
        return List.of();
      }
    }
    return items;
  }

  /**
   * A comma-separated list of IPv4/IPv6 addresses and CIDR ranges; a bad item drops the whole list
   * (an allow list with a hole is not what the author meant).
   */
  Optional<List<String>> cidrs(String name) {
    List<String> items = list(name);
    if (items.isEmpty()) {
      return Optional.empty();
    }
    List<String> ranges = new ArrayList<>();
    for (String item : items) {
      Optional<String> range = cidr(item);
      if (range.isEmpty()) {
        return invalid(name, item, "IPv4 or IPv6 addresses or CIDR ranges, comma-separated");
      }
      ranges.add(range.get());
    }
    return Optional.of(List.copyOf(ranges));
  }

  /** Returns {@code item} as {@code address/bits}, or empty if it is not an address or range. */
  static Optional<String> cidr(String item) {
    return AddressRange.normalize(item);
  }

  /**
   * Records a problem with {@code name}'s {@code value}; returns empty for the caller to return.
   */
  <T> Optional<T> invalid(String name, String value, String expected) {
    problems.add(
        new Problem(
            INVALID,
            prefix + name + ": \"" + value + "\" (expected: " + expected + "); it is ignored"));
    return Optional.empty();
  }

  /** Records a problem about {@code name} that is not about the syntax of its value. */
  void problem(String reason, String name, String message) {
    problems.add(new Problem(reason, prefix + name + ": " + message));
  }

  /**
   * The preferred (gantry.dev/) value if present, else the fallback (nginx) one. Both are read, so
   * that a bad value is reported even where the other one wins.
   */
  static <T> Optional<T> first(Supplier<Optional<T>> preferred, Supplier<Optional<T>> fallback) {
    Optional<T> value = preferred.get();
    Optional<T> other = fallback.get();
    return value.isPresent() ? value : other;
  }

  /** {@link #first} for sizes. */
  static OptionalLong firstSize(Supplier<OptionalLong> preferred, Supplier<OptionalLong> fallback) {
    OptionalLong value = preferred.get();
    OptionalLong other = fallback.get();
    return value.isPresent() ? value : other;
  }

  /** Returns whether {@code url} is an absolute http:// or https:// URL with a host. */
  static boolean isHttpUrl(String url) {
    try {
      java.net.URI uri = new java.net.URI(url);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  /** An absolute http:// or https:// URL. */
  Optional<String> httpUrl(String name) {
    return string(name)
        .flatMap(
            v -> isHttpUrl(v) ? Optional.of(v) : invalid(name, v, "an http:// or https:// URL"));
  }

  /** The name of an object in the Ingress's namespace (a Service, a Secret). */
  Optional<String> objectName(String name, String kind) {
    return string(name)
        .flatMap(
            v ->
                OBJECT_NAME.matcher(v).matches()
                    ? Optional.of(v)
                    : invalid(name, v, "the name of a " + kind + " in this namespace"));
  }
}
