package dev.warden.agent.model;

import dev.warden.agent.model.internal.AnthropicProvider;
import dev.warden.agent.model.internal.ApiKeys;
import dev.warden.agent.model.internal.Endpoint;
import dev.warden.agent.model.internal.OpenAiChatProvider;
import dev.warden.agent.model.internal.Script;
import dev.warden.agent.model.internal.ScriptedProvider;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Creates a {@link ModelProvider} from a spec string (reference: {@code docs/model-providers.md}):
 *
 * <ul>
 *   <li>{@code scripted:/path/file.yaml} — follows a script ({@code docs/scripted-model.md});
 *   <li>{@code openai:MODEL} or {@code openai:MODEL@BASE_URL} — OpenAI Chat Completions and
 *       compatible servers (Ollama, vLLM, llama.cpp server);
 *   <li>{@code azure:DEPLOYMENT@https://RESOURCE.openai.azure.com?api-version=V} — Azure OpenAI;
 *   <li>{@code anthropic:MODEL} or {@code anthropic:MODEL@BASE_URL} — Anthropic Messages;
 *   <li>{@code failover:SPEC1|SPEC2|…} — a {@link FailoverProvider} over the others.
 * </ul>
 *
 * <p>Keys are looked up by the names {@link #KEY_OPENAI}, {@link #KEY_AZURE} and {@link
 * #KEY_ANTHROPIC} through {@link ProviderSettings#apiKeyLookupOrNull()}, and only there. A provider
 * whose base URL is a loopback address needs no key (it sends one if stored).
 *
 * <p>A scripted provider is stateful: create one per session.
 */
public final class ModelProviders {
  private ModelProviders() {}

  /** Key name of OpenAI (and OpenAI-compatible servers that are not on loopback). */
  public static final String KEY_OPENAI = "openai";

  /** Key name of Azure OpenAI. */
  public static final String KEY_AZURE = "azure";

  /** Key name of Anthropic. */
  public static final String KEY_ANTHROPIC = "anthropic";

  /** Base URL of {@code openai:MODEL}. */
  public static final String OPENAI_DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** Base URL of {@code anthropic:MODEL}. */
  public static final String ANTHROPIC_DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** Longest spec accepted. */
  public static final int MAX_SPEC_CHARS = 4096;

  /** Longest model or deployment name accepted. */
  public static final int MAX_MODEL_NAME_CHARS = 256;

  private static final String FORMS = "scripted:/path/file.yaml, openai:MODEL, openai:MODEL@BASE_URL,"
      + " azure:DEPLOYMENT@https://RESOURCE.openai.azure.com?api-version=VERSION, anthropic:MODEL,"
      + " anthropic:MODEL@BASE_URL, failover:SPEC1|SPEC2";

  /**
   * Parses {@code spec} and creates the provider. Fails early, with a message that says how to fix
   * it, on a malformed spec, an unreadable or invalid script, or a missing API key.
   */
  public static ModelProvider create(String spec, ProviderSettings settings) throws ModelException {
    Objects.requireNonNull(settings, "settings");
    if (spec == null || spec.isBlank()) {
      throw new ModelException("no model spec given. Use one of: " + FORMS + ".");
    }
    spec = spec.strip();
    if (spec.length() > MAX_SPEC_CHARS) {
      throw new ModelException("model spec is longer than " + MAX_SPEC_CHARS + " characters.");
    }
    int colon = spec.indexOf(':');
    if (colon <= 0) {
      throw new ModelException("model spec '" + spec + "' has no kind prefix. Use one of: " + FORMS + ".");
    }
    String kind = spec.substring(0, colon);
    String rest = spec.substring(colon + 1);
    return switch (kind) {
      case "scripted" -> scripted(spec, rest);
      case "openai" -> openai(spec, rest, settings);
      case "azure" -> azure(spec, rest, settings);
      case "anthropic" -> anthropic(spec, rest, settings);
      case "failover" -> failover(spec, rest, settings);
      default -> throw new ModelException("model spec '" + spec + "': unknown kind '" + kind
          + "'. Use one of: " + FORMS + ".");
    };
  }

  private static ModelProvider scripted(String spec, String path) throws ModelException {
    if (path.isBlank()) {
      throw new ModelException("model spec '" + spec + "': give the script file, as scripted:/path/file.yaml.");
    }
    Path file;
    try {
      file = Path.of(path).toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw new ModelException("model spec '" + spec + "': '" + path + "' is not a valid path: " + e.getReason() + ".");
    }
    return new ScriptedProvider(spec, Script.load(file));
  }

  private record ModelAt(String model, String baseOrNull) {}

  private static ModelAt modelAt(String spec, String rest, String what) throws ModelException {
    int at = rest.indexOf('@');
    String model = at < 0 ? rest : rest.substring(0, at);
    String base = at < 0 ? null : rest.substring(at + 1);
    if (model.isEmpty()) {
      throw new ModelException("model spec '" + spec + "': the " + what + " name is missing.");
    }
    if (model.length() > MAX_MODEL_NAME_CHARS || !model.codePoints().allMatch(c -> c > 0x20 && c != 0x7f)) {
      throw new ModelException("model spec '" + spec + "': the " + what + " name must be 1 to " + MAX_MODEL_NAME_CHARS
          + " characters without spaces or control characters.");
    }
    if (base != null && base.isEmpty()) {
      throw new ModelException("model spec '" + spec + "': nothing after '@'; give the base URL or drop the '@'.");
    }
    return new ModelAt(model, base);
  }

  private static ModelProvider openai(String spec, String rest, ProviderSettings settings) throws ModelException {
    ModelAt m = modelAt(spec, rest, "model");
    Endpoint base = Endpoint.parse(m.baseOrNull() == null ? OPENAI_DEFAULT_BASE_URL : m.baseOrNull(), spec);
    if (base.uri().getRawQuery() != null) {
      throw new ModelException("model spec '" + spec + "': the base URL must not have a query; for Azure use"
          + " azure:DEPLOYMENT@https://RESOURCE.openai.azure.com?api-version=VERSION.");
    }
    boolean official = base.uri().getHost().equalsIgnoreCase(URI.create(OPENAI_DEFAULT_BASE_URL).getHost());
    boolean keyRequired = !base.isLoopback();
    if (keyRequired) {
      ApiKeys.require(settings, KEY_OPENAI, spec);
    }
    return new OpenAiChatProvider(spec, OpenAiChatProvider.Flavor.OPENAI, m.model(),
        base.resolvePath("/chat/completions"), KEY_OPENAI, keyRequired, official, settings);
  }

  private static ModelProvider azure(String spec, String rest, ProviderSettings settings) throws ModelException {
    ModelAt m = modelAt(spec, rest, "deployment");
    if (m.baseOrNull() == null) {
      throw new ModelException("model spec '" + spec + "': Azure needs the resource URL, as"
          + " azure:DEPLOYMENT@https://RESOURCE.openai.azure.com?api-version=VERSION.");
    }
    Endpoint base = Endpoint.parse(m.baseOrNull(), spec);
    String query = base.uri().getRawQuery();
    String version = null;
    if (query != null) {
      for (String p : query.split("&")) {
        if (p.startsWith("api-version=")) {
          version = p.substring("api-version=".length());
        } else {
          throw new ModelException("model spec '" + spec + "': the Azure URL's query may only hold api-version=…,"
              + " found '" + p.replaceAll("=.*", "=…") + "'.");
        }
      }
    }
    if (version == null || !version.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new ModelException("model spec '" + spec + "': the Azure URL needs ?api-version=VERSION (e.g."
          + " ?api-version=2024-10-21), the API version your resource supports.");
    }
    if (!base.pathWithoutTrailingSlash().isEmpty()) {
      throw new ModelException("model spec '" + spec + "': give only the resource URL (https://RESOURCE.openai.azure.com),"
          + " without a path; the deployment path is built from the deployment name.");
    }
    boolean keyRequired = !base.isLoopback();
    if (keyRequired) {
      ApiKeys.require(settings, KEY_AZURE, spec);
    }
    URI uri = base.resolvePath("/openai/deployments/" + URLEncoder.encode(m.model(), StandardCharsets.UTF_8)
        + "/chat/completions?api-version=" + version);
    return new OpenAiChatProvider(spec, OpenAiChatProvider.Flavor.AZURE, null, uri, KEY_AZURE, keyRequired, false,
        settings);
  }

  private static ModelProvider anthropic(String spec, String rest, ProviderSettings settings) throws ModelException {
    ModelAt m = modelAt(spec, rest, "model");
    Endpoint base = Endpoint.parse(m.baseOrNull() == null ? ANTHROPIC_DEFAULT_BASE_URL : m.baseOrNull(), spec);
    if (base.uri().getRawQuery() != null) {
      throw new ModelException("model spec '" + spec + "': the base URL must not have a query.");
    }
    boolean keyRequired = !base.isLoopback();
    if (keyRequired) {
      ApiKeys.require(settings, KEY_ANTHROPIC, spec);
    }
    // Accept the base with or without its /v1, as people copy it both ways.
    String suffix = base.pathWithoutTrailingSlash().endsWith("/v1") ? "/messages" : "/v1/messages";
    return new AnthropicProvider(spec, m.model(), base.resolvePath(suffix), KEY_ANTHROPIC, keyRequired, settings);
  }

  private static ModelProvider failover(String spec, String rest, ProviderSettings settings) throws ModelException {
    String[] parts = rest.split("\\|", -1);
    if (parts.length < 2) {
      throw new ModelException("model spec '" + spec + "': a failover chain needs at least two specs separated by"
          + " '|', e.g. failover:anthropic:claude-sonnet-4-5|openai:llama3.1@http://127.0.0.1:11434/v1.");
    }
    List<ModelProvider> providers = new ArrayList<>();
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      if (p.isEmpty()) {
        throw new ModelException("model spec '" + spec + "': spec #" + (i + 1) + " of the failover chain is empty.");
      }
      if (p.startsWith("failover:")) {
        throw new ModelException("model spec '" + spec + "': failover chains do not nest; list every spec in one chain.");
      }
      try {
        providers.add(create(p, settings));
      } catch (ModelException e) {
        throw new ModelException("model spec '" + spec + "', spec #" + (i + 1) + " of the failover chain: "
            + e.getMessage(), e.retryable(), e.httpStatus().orElse(-1), e);
      }
    }
    return new FailoverProvider(providers);
  }
}
