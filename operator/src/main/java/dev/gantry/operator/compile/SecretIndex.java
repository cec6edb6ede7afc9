package dev.gantry.operator.compile;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Secrets of one compile by {@code namespace/name}, and the bytes of their keys as the API
 * server would store them: {@code stringData} (which files in standalone mode may use) wins over
 * {@code data} (base64), key by key.
 */
final class SecretIndex {
  static final String TLS_TYPE = "kubernetes.io/tls";

  private final Map<String, Secret> secrets = new HashMap<>();

  SecretIndex(List<Secret> secrets) {
    for (Secret s : secrets) {
      this.secrets.put(
          BackendIndex.namespaceOf(s.getMetadata().getNamespace())
              + "/"
              + s.getMetadata().getName(),
          s);
    }
  }

  Optional<Secret> find(String name) {
    return Optional.ofNullable(secrets.get(name));
  }

  /** A value, or why it cannot be read. */
  record Value(byte[] bytes, String problem) {}

  /** Returns the bytes under {@code key}, or why there are none. */
  static Value value(Secret secret, String key) {
    Map<String, String> stringData = secret.getStringData();
    if (stringData != null && stringData.get(key) != null) {
      return new Value(stringData.get(key).getBytes(StandardCharsets.UTF_8), null);
    }
    Map<String, String> data = secret.getData();
    String encoded = data == null ? null : data.get(key);
    if (encoded == null || encoded.isEmpty()) {
      return new Value(null, "it has no " + key);
    }
    try {
      return new Value(Base64.getDecoder().decode(encoded), null);
    } catch (IllegalArgumentException e) {
      return new Value(null, "data." + key + " is not base64: " + e.getMessage());
    }
  }
}
