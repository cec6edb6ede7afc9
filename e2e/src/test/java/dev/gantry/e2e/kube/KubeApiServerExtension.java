package dev.gantry.e2e.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs tests against one real kube-apiserver and etcd per JVM, started from local binaries by
 * fabric8 kube-api-test in offline mode and stopped when the test run ends.
 *
 * <p>Without the binaries, tests are disabled; with the system property {@code
 * gantry.requireKubeApiTest=true} (the build sets it from {@code -Drequire.kube.api.test=true})
 * they fail instead, so CI cannot pass by skipping them.
 *
 * <p>Resolves parameters of type {@link KubeApiServer}, {@link KubernetesClient} (cluster-admin,
 * shared: do not close it) and {@link TestNamespace} (a fresh namespace per class on constructors
 * and {@code @BeforeAll} methods, per test on test methods).
 *
 * <pre>{@code
 * @ExtendWith(KubeApiServerExtension.class)
 * class RouteStatusIT {
 *   @Test
 *   void writesAcceptedCondition(KubernetesClient client, TestNamespace namespace) { ... }
 * }
 * }</pre>
 */
public final class KubeApiServerExtension
    implements ExecutionCondition, BeforeAllCallback, ParameterResolver {

  /** System property that turns missing binaries from a skip into a failure. */
  public static final String REQUIRE_PROPERTY = "gantry.requireKubeApiTest";

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(KubeApiServerExtension.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    KubeApiTestBinaries binaries = binaries();
    if (binaries.missing().isEmpty()) {
      return ConditionEvaluationResult.enabled(
          "kube-apiserver binaries found in " + binaries.binaryDir());
    }
    if (required()) {
      // Enabled so that beforeAll fails the tests with the reason.
      return ConditionEvaluationResult.enabled(
          REQUIRE_PROPERTY + "=true: failing on missing binaries");
    }
    return ConditionEvaluationResult.disabled(binaries.describeMissing());
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == KubeApiServer.class
        || type == KubernetesClient.class
        || type == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    KubeApiServer server = server(context);
    if (type == KubeApiServer.class) {
      return server;
    }
    if (type == KubernetesClient.class) {
      return server.client();
    }
    if (type == TestNamespace.class) {
      return namespace(parameter.getDeclaringExecutable(), context, server);
    }
    throw new ParameterResolutionException("unsupported parameter type: " + type.getName());
  }

  /** Returns the JVM's API server, starting it on first use. */
  static KubeApiServer server(ExtensionContext context) {
    KubeApiTestBinaries binaries = binaries();
    if (!binaries.missing().isEmpty()) {
      throw new IllegalStateException(
          binaries.describeMissing()
              + (required()
                  ? " (" + REQUIRE_PROPERTY + "=true, so these tests fail instead of being skipped)"
                  : ""));
    }
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(
            RunningKubeApiServer.class,
            key -> RunningKubeApiServer.start(binaries),
            RunningKubeApiServer.class)
        .server();
  }

  /**
   * One namespace per class when asked for by a constructor or {@code @BeforeAll} method, one per
   * test when asked for by a test method; stored in the asking context so every parameter of a
   * scope sees the same.
   */
  private static TestNamespace namespace(
      Executable executable, ExtensionContext context, KubeApiServer server) {
    boolean classScoped =
        executable instanceof Constructor<?>
            || (executable instanceof Method method && method.isAnnotationPresent(BeforeAll.class));
    ExtensionContext scope = classScoped ? classContext(context) : context;
    String hint =
        scope
            .getTestMethod()
            .map(method -> scope.getRequiredTestClass().getSimpleName() + "-" + method.getName())
            .orElseGet(() -> scope.getRequiredTestClass().getSimpleName());
    return scope
        .getStore(STORE)
        .getOrComputeIfAbsent(
            TestNamespace.class,
            key -> new TestNamespace(server.createNamespace(hint)),
            TestNamespace.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent()) {
      Optional<ExtensionContext> parent = current.getParent();
      if (parent.isEmpty()) {
        break;
      }
      current = parent.get();
    }
    return current;
  }

  private static KubeApiTestBinaries binaries() {
    return KubeApiTestBinaries.fromEnvironment(System.getenv());
  }

  private static boolean required() {
    return Boolean.parseBoolean(System.getProperty(REQUIRE_PROPERTY, "false"));
  }
}
