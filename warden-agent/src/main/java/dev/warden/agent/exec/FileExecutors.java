package dev.warden.agent.exec;

import dev.warden.kernel.Action;
import dev.warden.kernel.ActionExecutor;
import dev.warden.kernel.AtomicFiles;
import dev.warden.kernel.Kernel;
import dev.warden.kernel.Label;
import dev.warden.store.FileLabels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Executors for read_file, list_files, write_file/edit_file. Paths were canonicalised by the
 * normaliser and are re-resolved here (a symlink may have appeared since), writes are atomic, and
 * each written file keeps the label of the context that wrote it.
 */
public final class FileExecutors {

  /** Largest file read_file returns; larger files are cut with a note. */
  public static final int MAX_READ_BYTES = 256 * 1024;
  /** Most entries list_files returns. */
  public static final int MAX_LIST_ENTRIES = 500;

  private final Workspace workspace;
  private final FileLabels labels;
  private final InstantSource clock;

  public FileExecutors(Workspace workspace, FileLabels labels, InstantSource clock) {
    this.workspace = workspace;
    this.labels = labels;
    this.clock = clock;
  }

  public void registerWith(Kernel kernel) {
    kernel.register(Action.FileRead.class, this::read);
    kernel.register(Action.FileList.class, this::list);
    kernel.register(Action.FileWrite.class, this::write);
  }

  /** Label of a workspace file: what it was written with, else the owner's (files the owner placed). */
  public Label labelOf(String relative) {
    return labels.get(relative).orElse(Label.trusted("workspace"));
  }

  ActionExecutor.Result read(Action.FileRead a, dev.warden.kernel.SessionContext s) throws Exception {
    Path p = workspace.resolve(a.path());
    if (!Files.isRegularFile(p)) {
      throw new IOException(a.path() + " is not a file in the workspace");
    }
    long size = Files.size(p);
    byte[] bytes;
    try (var in = Files.newInputStream(p)) {
      bytes = in.readNBytes(MAX_READ_BYTES);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (size > MAX_READ_BYTES) {
      text += "\n[truncated: file is " + size + " bytes, showing the first " + MAX_READ_BYTES + "]";
    }
    return new ActionExecutor.Result(text, labelOf(a.path()), Map.of("bytes", size));
  }

  ActionExecutor.Result list(Action.FileList a, dev.warden.kernel.SessionContext s) throws Exception {
    Path dir = a.path().equals(".") ? workspace.root() : workspace.resolve(a.path());
    if (!Files.isDirectory(dir)) {
      throw new IOException(a.path() + " is not a directory in the workspace");
    }
    StringBuilder sb = new StringBuilder();
    int n = 0;
    try (Stream<Path> st = Files.list(dir).sorted()) {
      for (Path p : (Iterable<Path>) st::iterator) {
        if (n++ >= MAX_LIST_ENTRIES) {
          sb.append("[more entries omitted]\n");
          break;
        }
        sb.append(workspace.relative(p)).append(Files.isDirectory(p) ? "/" : "").append('\n');
      }
    }
    return new ActionExecutor.Result(sb.toString(), Label.trusted("workspace"), Map.of("entries", n));
  }

  ActionExecutor.Result write(Action.FileWrite a, dev.warden.kernel.SessionContext s) throws Exception {
    Path p = workspace.resolve(a.path());
    AtomicFiles.writeString(p, a.content());
    labels.put(a.path(), s.label(), s.id(), clock.instant());
    return new ActionExecutor.Result("wrote " + a.path() + " (" + a.content().length() + " chars)", Label.trusted("system"),
        Map.of("chars", a.content().length()));
  }
}
