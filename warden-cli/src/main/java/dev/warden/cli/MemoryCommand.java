package dev.warden.cli;

import dev.warden.gateway.WardenRuntime;
import dev.warden.store.MemoryIndex;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code warden memory review|promote ID|delete ID}: the owner's review of memory kept apart. */
@Command(name = "memory", description = "Review memory written from untrusted contexts.",
    subcommands = {MemoryCommand.Review.class, MemoryCommand.Promote.class, MemoryCommand.Delete.class})
public final class MemoryCommand {

  @Command(name = "review", description = "List memory entries kept apart for review.")
  static final class Review implements Callable<Integer> {
    @Mixin HomeOption home;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        var list = rt.memory().index().list(MemoryIndex.Status.REVIEW, 200);
        if (list.isEmpty()) {
          System.out.println("nothing to review");
        }
        for (MemoryIndex.Entry e : list) {
          System.out.println(e.id() + "  from " + e.label().untrustedSources() + "  session " + e.sessionOrNull() + "\n    " + e.text());
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "promote", description = "Move an entry into MEMORY.md as trusted.")
  static final class Promote implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        try (var t = rt.announcer().writing(rt.workspace().root())) {
          rt.memory().promote(id);
        }
        rt.kernel().recordEvent("memory", "promote", null, java.util.Map.of("entry", id, "by", "operator"));
        System.out.println("promoted " + id + " into MEMORY.md");
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "delete", description = "Delete a memory entry.")
  static final class Delete implements Callable<Integer> {
    @Mixin HomeOption home;

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    public Integer call() throws Exception {
      try (WardenRuntime rt = WardenRuntime.open(home.resolve(), WardenRuntime.Options.none())) {
        try (var t = rt.announcer().writing(rt.workspace().root())) {
          rt.memory().delete(id);
        }
        rt.kernel().recordEvent("memory", "delete", null, java.util.Map.of("entry", id, "by", "operator"));
        System.out.println("deleted " + id);
        return ExitCodes.OK;
      }
    }
  }
}
