package dev.warden.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.agent.exec.Workspace;
import dev.warden.kernel.Label;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextBuilderTest {
  @TempDir Path dir;

  @Test
  void skills_vettedShowDescription_unvettedNameOnly_andNoTaintFromListing() throws Exception {
    ContextBuilder b = new ContextBuilder(new Workspace(dir), f -> Label.trusted("operator"), () -> List.of(
        new ContextBuilder.OfferedSkill("weather", "Get the weather.", Label.trusted("trusted-skill:weather")),
        new ContextBuilder.OfferedSkill("shady", null, Label.untrusted("skill:shady"))));
    ContextBuilder.SystemPrompt p = b.build();
    assertThat(p.text()).contains("## Skills").contains("- weather: Get the weather.").contains("- shady (unvetted");
    assertThat(p.label().toString()).doesNotContain("skill:shady").contains("trusted-skill:weather");
  }

  @Test
  void noSkills_noSection() throws Exception {
    assertThat(new ContextBuilder(new Workspace(dir), f -> Label.trusted("operator")).build().text()).doesNotContain("## Skills");
  }
}
