package dev.warden.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.WaitForSelectorState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web chat in real headless Chromium (Debian's, driven by Playwright): log in with the token,
 * ask for a summary of an injected page, see both injected actions as "ask" cards with their
 * reason, approve one from the side panel, and see it run.
 */
class WebChatBrowserTest {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

  @TempDir Path dir;
  GatewayFixture fx;
  Playwright playwright;
  Browser browser;

  @BeforeEach
  void setUp() throws Exception {
    assertThat(CHROMIUM).as("Debian's chromium must be installed (scripts/setup installs it)").exists();
    fx = new GatewayFixture(dir);
    playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync")));
  }

  @AfterEach
  void tearDown() {
    if (browser != null) {
      browser.close();
    }
    if (playwright != null) {
      playwright.close();
    }
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void injectedActions_showAsAsk_andRunAfterTheOwnerApprovesInTheBrowser() throws Exception {
    Page page = browser.newPage();
    page.setDefaultTimeout(60_000);
    page.onPageError(e -> System.out.println("browser error: " + e));
    page.navigate(fx.gateway.origin() + "/login");
    page.fill("#token", fx.token);
    page.click("button[type=submit]");
    page.waitForURL("**/static/index.html");
    page.waitForSelector("body[data-ws=open]");

    page.fill("#text", "Give me a summary of " + fx.page.url("/report"));
    page.click("#composer button");

    Locator asks = page.locator(".action.ask");
    asks.nth(1).waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
    assertThat(asks.count()).isEqualTo(2);
    assertThat(asks.nth(0).innerText()).contains("memory_write").contains("web:127.0.0.1");
    assertThat(asks.nth(1).innerText()).contains("http_request").contains("needs approval");
    page.locator("#label.tainted").waitFor();
    assertThat(page.locator("#label").innerText()).contains("untrusted").contains("web:127.0.0.1");
    assertThat(page.locator(".action.allow").first().innerText()).contains("web_fetch");

    Locator cards = page.locator(".approval");
    cards.nth(1).waitFor();
    assertThat(cards.count()).isEqualTo(2);
    Locator postCard = cards.filter(new Locator.FilterOptions().setHasText("POST"));
    assertThat(postCard.innerText()).contains("web:127.0.0.1");
    Files.createDirectories(Paths.get("target"));
    page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target/webchat-approvals.png")).setFullPage(true));
    assertThat(fx.collector.received).isEmpty();

    postCard.locator("button.approve").click();
    page.waitForCondition(() -> !fx.collector.received.isEmpty());
    assertThat(fx.collector.received).singleElement().satisfies(r -> assertThat(r.method()).isEqualTo("POST"));
    page.waitForCondition(() -> page.locator(".approval").count() == 1);
  }
}
