package dev.gantry.operator.watch;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.crds.v1alpha1.ProxyRoute;
import dev.gantry.crds.v1alpha1.TLSCertificateDelegation;
import dev.gantry.operator.compile.Sources;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads Kubernetes YAML manifests (many documents per file) into the compiler's {@link Sources}.
 * Kinds the compiler does not read are skipped. A document that does not parse, or does not fit its
 * kind, fails the whole read with the file and line, so a half-edited folder never replaces a good
 * world.
 */
public final class ManifestReader {
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          ProxyRoute.GROUP + "/" + ProxyRoute.VERSION + "/ProxyRoute",
          ProxyRoute.class,
          "v1/Service",
          Service.class,
          "discovery.k8s.io/v1/EndpointSlice",
          EndpointSlice.class,
          "v1/Secret",
          Secret.class,
          ProxyRoute.GROUP + "/" + ProxyRoute.VERSION + "/TLSCertificateDelegation",
          TLSCertificateDelegation.class,
          "networking.k8s.io/v1/Ingress",
          Ingress.class,
          "networking.k8s.io/v1/IngressClass",
          IngressClass.class,
          "v1/ConfigMap",
          ConfigMap.class);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A manifest that cannot be read, with where. */
  public static final class ManifestException extends Exception {
    public ManifestException(Path file, int line, String message) {
      super(file + ":" + line + ": " + message);
    }
  }

  private ManifestReader() {}

  /**
   * Reads every {@code *.yaml} and {@code *.yml} file under {@code dir}, recursively, in path
   * order.
   */
  public static Sources readDirectory(Path dir) throws IOException, ManifestException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList();
    }
    List<HasMetadata> objects = new ArrayList<>();
    for (Path f : files) {
      objects.addAll(readFile(f));
    }
    return toSources(objects);
  }

  /** Reads the objects of the known kinds from one file. */
  public static List<HasMetadata> readFile(Path file) throws IOException, ManifestException {
    List<HasMetadata> out = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file);
        JsonParser parser = YAML.getFactory().createParser(reader);
        MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class)) {
      while (true) {
        int line = parser.currentLocation().getLineNr();
        JsonNode doc;
        try {
          if (!docs.hasNextValue()) {
            break;
          }
          line = parser.currentLocation().getLineNr();
          doc = docs.nextValue();
        } catch (JsonProcessingException e) {
          throw new ManifestException(file, lineOf(e.getLocation(), line), e.getOriginalMessage());
        } catch (RuntimeException e) {
          // MappingIterator wraps parse errors in unchecked exceptions
          Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
          int at =
              cause instanceof JsonProcessingException j ? lineOf(j.getLocation(), line) : line;
          throw new ManifestException(file, at, cause.getMessage());
        }
        if (doc == null || doc.isNull() || doc.isMissingNode()) {
          continue; // an empty document between separators
        }
        if (!doc.isObject()) {
          throw new ManifestException(
              file, line, "expected a Kubernetes object (a mapping), found " + doc.getNodeType());
        }
        String apiVersion = doc.path("apiVersion").asText("");
        String kind = doc.path("kind").asText("");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
          throw new ManifestException(file, line, "a Kubernetes object needs apiVersion and kind");
        }
        Class<? extends HasMetadata> type = KINDS.get(apiVersion + "/" + kind);
        if (type == null) {
          continue;
        }
        if (doc.path("metadata").path("name").asText("").isEmpty()) {
          throw new ManifestException(file, line, kind + " needs metadata.name");
        }
        try {
          out.add(Serialization.jsonMapper().convertValue(doc, type));
        } catch (IllegalArgumentException e) {
          Throwable cause = e.getCause() instanceof JsonProcessingException j ? j : e;
          String msg =
              cause instanceof JsonProcessingException j
                  ? j.getOriginalMessage()
                  : cause.getMessage();
          throw new ManifestException(
              file, line, kind + " " + doc.path("metadata").path("name").asText() + ": " + msg);
        }
      }
    }
    return out;
  }

  private static int lineOf(JsonLocation location, int fallback) {
    return location != null && location.getLineNr() > 0 ? location.getLineNr() : fallback;
  }

  /** Sorts objects of the known kinds into {@link Sources}. */
  public static Sources toSources(List<HasMetadata> objects) {
    List<ProxyRoute> routes = new ArrayList<>();
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    List<TLSCertificateDelegation> delegations = new ArrayList<>();
    List<Ingress> ingresses = new ArrayList<>();
    List<IngressClass> classes = new ArrayList<>();
    List<ConfigMap> configMaps = new ArrayList<>();
    for (HasMetadata o : objects) {
      switch (o) {
        case ProxyRoute r -> routes.add(r);
        case Service s -> services.add(s);
        case EndpointSlice e -> slices.add(e);
        case Secret s -> secrets.add(s);
        case TLSCertificateDelegation d -> delegations.add(d);
        case Ingress i -> ingresses.add(i);
        case IngressClass c -> classes.add(c);
        case ConfigMap c -> configMaps.add(c);
        default -> {}
      }
    }
    return new Sources(
        routes, services, slices, secrets, delegations, ingresses, classes, configMaps);
  }
}
