package dev.warden.registry.pkg;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Skill folders for tests. */
public final class TestSkills {
  private TestSkills() {}

  public static Path weatherSkill(Path dir) throws IOException {
    return skill(dir, "weather", "Get the weather for a city.");
  }

  public static Path skill(Path dir, String name, String description) throws IOException {
    Path root = dir.resolve(name);
    Files.createDirectories(root.resolve("scripts"));
    Files.createDirectories(root.resolve("references/deep"));
    Files.writeString(root.resolve("SKILL.md"), "---\nname: " + name + "\ndescription: " + description + "\n---\n\n# " + name + "\n\nUse `scripts/run.sh CITY`.\n");
    Path script = root.resolve("scripts/run.sh");
    Files.writeString(script, "#!/bin/sh\necho \"sunny in $1\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(root.resolve("references/deep/notes.md"), "Notes ü, ✓\n", StandardCharsets.UTF_8);
    Files.write(root.resolve("references/data.bin"), new byte[] {0, 1, 2, 3, (byte) 0xff});
    return root;
  }
}
