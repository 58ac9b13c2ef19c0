package dev.warden.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelProvidersTest {

  private static final ProviderSettings KEYS = ProviderSettings.defaults().withApiKeyLookup(n -> "secret-" + n);

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '!', value = {
      "''                                        ! no model spec given",
      "'   '                                     ! no model spec given",
      "gpt-4o                                    ! has no kind prefix",
      ":gpt-4o                                   ! has no kind prefix",
      "gemini:pro                                ! unknown kind 'gemini'",
      "openai:                                   ! model name is missing",
      "openai:@http://127.0.0.1:1/v1             ! model name is missing",
      "openai:gpt 4o                             ! without spaces",
      "openai:gpt-4o@                            ! nothing after '@'",
      "openai:gpt-4o@ftp://127.0.0.1/v1          ! must start with https://",
      "openai:gpt-4o@not a url                   ! is not a URL",
      "openai:gpt-4o@https://user:pw@example.org ! user info",
      "openai:gpt-4o@http://example.org/v1       ! plain http to a host that is not loopback",
      "openai:gpt-4o@http://10.0.0.5:8000/v1     ! plain http to a host that is not loopback",
      "openai:gpt-4o@https://example.org/v1?k=v  ! must not have a query",
      "openai:gpt-4o@https://example.org/v1#frag ! must not have a #fragment",
      "azure:dep                                 ! Azure needs the resource URL",
      "azure:dep@https://r.openai.azure.com      ! needs ?api-version",
      "azure:dep@https://r.openai.azure.com?api-version= ! needs ?api-version",
      "azure:dep@https://r.openai.azure.com?api-version=1&key=x ! may only hold api-version",
      "azure:dep@https://r.openai.azure.com/openai?api-version=2024-10-21 ! without a path",
      "anthropic:                                ! model name is missing",
      "anthropic:claude@https://x.example?q=1    ! must not have a query",
      "scripted:                                 ! give the script file",
      "failover:openai:a                         ! at least two specs",
      "failover:openai:a|                        ! spec #2 of the failover chain is empty",
      "failover:openai:a|failover:openai:b|x     ! do not nest",
      "failover:openai:a|gemini:b                ! spec #2 of the failover chain: model spec 'gemini:b': unknown kind",
  })
  void badSpec_failsWithAClearMessage(String spec, String expected) {
    assertThatThrownBy(() -> ModelProviders.create(spec, KEYS))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining(expected.strip());
  }

  @Test
  void missingKey_forRemoteOpenAi_namesKeyAndCommand() {
    assertThatThrownBy(() -> ModelProviders.create("openai:gpt-4o", ProviderSettings.defaults()))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("API key named 'openai'")
        .hasMessageContaining("warden secrets add openai");
  }

  @Test
  void missingKey_lookupReturnsNull_forAnthropic() {
    ProviderSettings s = ProviderSettings.defaults().withApiKeyLookup(n -> null);
    assertThatThrownBy(() -> ModelProviders.create("anthropic:claude-sonnet-4-5", s))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("'anthropic'")
        .hasMessageContaining("warden secrets add anthropic");
  }

  @Test
  void missingKey_forAzure_namesAzureKey() {
    assertThatThrownBy(() -> ModelProviders.create(
        "azure:dep@https://r.openai.azure.com?api-version=2024-10-21", ProviderSettings.defaults()))
        .isInstanceOf(ModelException.class).hasMessageContaining("warden secrets add azure");
  }

  @Test
  void missingKey_insideFailover_namesTheChainPosition() {
    assertThatThrownBy(() -> ModelProviders.create(
        "failover:openai:llama@http://127.0.0.1:11434/v1|anthropic:claude", ProviderSettings.defaults()))
        .isInstanceOf(ModelException.class).hasMessageContaining("spec #2").hasMessageContaining("warden secrets add anthropic");
  }

  @Test
  void throwingKeyLookup_isAModelException_withoutItsMessage() {
    ProviderSettings s = ProviderSettings.defaults().withApiKeyLookup(n -> {
      throw new IllegalStateException("vault locked; partial value sk-leak");
    });
    assertThatThrownBy(() -> ModelProviders.create("openai:gpt-4o", s))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("reading the API key 'openai' failed")
        .hasMessageNotContaining("sk-leak");
  }

  @ParameterizedTest
  @CsvSource({
      "openai:llama3.1:8b@http://127.0.0.1:11434/v1",
      "openai:qwen@http://localhost:8080/v1",
      "openai:m@http://[::1]:8000/v1",
      "anthropic:claude@http://127.0.0.1:9",
  })
  void loopbackBaseUrl_needsNoKey(String spec) throws Exception {
    ModelProvider p = ModelProviders.create(spec, ProviderSettings.defaults());
    assertThat(p.name()).isEqualTo(spec);
  }

  @Test
  void validSpecs_create_withNamesWithoutSecrets() throws Exception {
    assertThat(ModelProviders.create("openai:gpt-4o", KEYS).name()).isEqualTo("openai:gpt-4o");
    assertThat(ModelProviders.create("anthropic:claude-sonnet-4-5", KEYS).name()).isEqualTo("anthropic:claude-sonnet-4-5");
    ModelProvider az = ModelProviders.create("azure:my-dep@https://res.openai.azure.com/?api-version=2024-10-21", KEYS);
    assertThat(az.name()).doesNotContain("secret-");
    ModelProvider f = ModelProviders.create("failover:openai:gpt-4o|anthropic:claude-sonnet-4-5", KEYS);
    assertThat(f).isInstanceOf(FailoverProvider.class);
    assertThat(f.name()).isEqualTo("failover:openai:gpt-4o|anthropic:claude-sonnet-4-5");
  }

  @Test
  void scripted_relativeAndAbsolutePaths(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("s.yaml");
    Files.writeString(f, "steps: []\n");
    assertThat(ModelProviders.create("scripted:" + f, ProviderSettings.defaults()).name()).isEqualTo("scripted:" + f);
    assertThatThrownBy(() -> ModelProviders.create("scripted:" + dir, ProviderSettings.defaults()))
        .hasMessageContaining("not a regular file");
  }

  @Test
  void settings_rejectAuthAndFramingHeaders_andBadTimeouts() {
    for (String h : new String[] {"Authorization", "x-api-key", "API-KEY", "Host", "Content-Length"}) {
      assertThatThrownBy(() -> ProviderSettings.defaults().withExtraHeaders(Map.of(h, "v")))
          .as(h).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> ProviderSettings.defaults().withExtraHeaders(Map.of("X-A", "v\r\nInjected: 1")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProviderSettings.defaults().withTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProviderSettings.defaults().withTimeout(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(ProviderSettings.defaults().timeout()).isEqualTo(Duration.ofSeconds(ProviderSettings.DEFAULT_TIMEOUT_SECONDS));
  }
}
