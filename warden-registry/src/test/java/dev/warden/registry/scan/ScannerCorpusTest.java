package dev.warden.registry.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.warden.registry.skill.SharedCorpus;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The scanner against skills written for the tests ({@code scan-corpus/malicious}, {@code
 * scan-corpus/benign}, expectations in {@code scan-corpus/expectations.tsv}) and against the real
 * third-party skills of the shared corpus. Prints precision and recall for docs/scanner.md.
 */
class ScannerCorpusTest {
  /**
   * Real skills that are legitimately not CLEAN, with the reason. Empty: every real skill in the
   * shared corpus scans clean (the few that pipe installers or mention ~/.openclaw get LOW/INFO
   * notes only).
   */
  static final Map<String, String> REAL_SKILLS_EXPECTED_FLAGGED = Map.of();

  static final SkillScanner SCANNER = new SkillScanner();
  static Path corpus;
  static Map<String, List<String>> expectations;

  @BeforeAll
  static void load() throws IOException, URISyntaxException {
    corpus = Path.of(ScannerCorpusTest.class.getResource("/scan-corpus/expectations.tsv").toURI()).getParent();
    expectations = new TreeMap<>();
    for (String l : Files.readAllLines(corpus.resolve("expectations.tsv"))) {
      if (!l.isBlank() && !l.startsWith("#")) {
        String[] p = l.split("\t");
        expectations.put(p[0], Arrays.asList(p[1].split(",")));
      }
    }
  }

  static Stream<Path> malicious() throws Exception {
    load();
    return dirs(corpus.resolve("malicious")).stream();
  }

  static Stream<Path> benign() throws Exception {
    load();
    return dirs(corpus.resolve("benign")).stream();
  }

  static Stream<Path> real() {
    return SharedCorpus.skillDirs().stream();
  }

  private static List<Path> dirs(Path root) throws IOException {
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(Files::isDirectory).sorted().toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malicious")
  void maliciousSkill_flaggedWithExpectedReasonCodes(Path dir) {
    ScanReport r = SCANNER.scan(dir);
    String name = dir.getFileName().toString();
    assertThat(expectations).as("expectations.tsv entry for " + name).containsKey(name);
    assertThat(r.verdict()).as(name + " findings: " + r.findings()).isIn(Verdict.SUSPICIOUS, Verdict.MALICIOUS);
    for (String code : expectations.get(name)) {
      assertThat(r.significant()).as(name + " must report " + code + " at MEDIUM or above; got " + r.findings())
          .anySatisfy(f -> assertThat(f.code()).isEqualTo(code));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("benign")
  void benignSkill_clean(Path dir) {
    ScanReport r = SCANNER.scan(dir);
    assertThat(r.verdict()).as(dir.getFileName() + " findings: " + r.significant()).isEqualTo(Verdict.CLEAN);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("real")
  void realSkill_cleanUnlessListed(Path dir) {
    ScanReport r = SCANNER.scan(dir);
    String key = dir.getFileName().toString();
    if (REAL_SKILLS_EXPECTED_FLAGGED.containsKey(key)) {
      assertThat(r.verdict()).isNotEqualTo(Verdict.CLEAN);
    } else {
      assertThat(r.verdict()).as(key + " findings: " + r.significant()).isEqualTo(Verdict.CLEAN);
    }
  }

  @Test
  void corpus_isLargeEnoughAndCoversEveryTechnique() throws Exception {
    List<Path> mal = dirs(corpus.resolve("malicious"));
    assertThat(mal).hasSizeGreaterThanOrEqualTo(40);
    assertThat(dirs(corpus.resolve("benign"))).hasSizeGreaterThanOrEqualTo(30);
    assertThat(expectations.keySet()).containsExactlyInAnyOrderElementsOf(mal.stream().map(p -> p.getFileName().toString()).toList());
    TreeSet<String> covered = new TreeSet<>();
    expectations.values().forEach(covered::addAll);
    for (String code : List.of("WS101", "WS102", "WS103", "WS104", "WS105", "WS106", "WS201", "WS202", "WS203", "WS204",
        "WS205", "WS206", "WS301", "WS302", "WS303", "WS304", "WS401", "WS402", "WS403", "WS404", "WS405", "WS501",
        "WS502", "WS601", "WS602", "WS603", "WS701")) {
      assertThat(covered).as("a malicious corpus skill expects " + code).contains(code);
    }
  }

  /** Precision and recall over the whole corpus; the figures in docs/scanner.md come from this output. */
  @Test
  void precisionAndRecall_printedAndPerfectOnCorpus() throws Exception {
    List<ScanReport> mal = SCANNER.scanAll(List.of(corpus.resolve("malicious")), ProgressListener.NONE);
    List<ScanReport> ben = SCANNER.scanAll(List.of(corpus.resolve("benign")), ProgressListener.NONE);
    List<ScanReport> real = SCANNER.scanAll(List.of(SharedCorpus.dir()), ProgressListener.NONE);
    int tp = (int) mal.stream().filter(r -> r.verdict() != Verdict.CLEAN).count();
    int fn = mal.size() - tp;
    int maliciousVerdicts = (int) mal.stream().filter(r -> r.verdict() == Verdict.MALICIOUS).count();
    List<ScanReport> negatives = new ArrayList<>(ben);
    negatives.addAll(real);
    int fp = (int) negatives.stream().filter(r -> r.verdict() != Verdict.CLEAN).count();
    int tn = negatives.size() - fp;
    double precision = tp + fp == 0 ? 1.0 : (double) tp / (tp + fp);
    double recall = (double) tp / (tp + fn);
    int codesHit = 0;
    int codesExpected = 0;
    for (ScanReport r : mal) {
      for (String c : expectations.getOrDefault(r.dir().getFileName().toString(), List.of())) {
        codesExpected++;
        if (r.significant().stream().anyMatch(f -> f.code().equals(c))) {
          codesHit++;
        }
      }
    }
    System.out.printf("SCANNER-CORPUS malicious=%d benign=%d real=%d%n", mal.size(), ben.size(), real.size());
    System.out.printf("SCANNER-CORPUS tp=%d fn=%d fp=%d tn=%d precision=%.3f recall=%.3f%n", tp, fn, fp, tn, precision, recall);
    System.out.printf("SCANNER-CORPUS verdict MALICIOUS=%d SUSPICIOUS=%d (of %d malicious); expected reason codes reported %d/%d%n",
        maliciousVerdicts, tp - maliciousVerdicts, mal.size(), codesHit, codesExpected);
    assertThat(fn).isZero();
    assertThat(fp).isEqualTo(REAL_SKILLS_EXPECTED_FLAGGED.size());
    assertThat(codesHit).isEqualTo(codesExpected);
  }
}
