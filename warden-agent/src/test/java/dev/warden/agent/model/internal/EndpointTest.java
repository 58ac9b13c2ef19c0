package dev.warden.agent.model.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EndpointTest {

  @ParameterizedTest
  @CsvSource({
      "http://127.0.0.1:11434/v1, true",
      "http://127.9.9.9/, true",
      "http://localhost:8080, true",
      "http://a.localhost, true",
      "http://[::1]:8000/v1, true",
      "https://api.openai.com/v1, false",
      "https://127.0.0.1.nip.io/v1, false",
      "https://localhost.example.com, false",
      "https://10.0.0.1, false",
  })
  void isLoopback_onlyForThisMachine(String url, boolean expected) {
    assertThat(new Endpoint(URI.create(url)).isLoopback()).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '!', value = {
      "https://r.openai.azure.com/x?api-version=2024-10-21 ! https://r.openai.azure.com/x?api-version=2024-10-21",
      "https://h/p?token=abc&api-version=1&x ! https://h/p?token=…&api-version=1&x",
  })
  void display_hidesQueryValuesButApiVersion(String url, String shown) {
    assertThat(Endpoint.display(URI.create(url.strip()))).isEqualTo(shown.strip());
  }
}
