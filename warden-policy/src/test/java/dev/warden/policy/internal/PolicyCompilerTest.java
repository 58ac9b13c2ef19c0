package dev.warden.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.warden.policy.PolicyLoadException;
import dev.warden.policy.PolicyRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyCompilerTest {

  static PolicyLoadException refused(String text) {
    return assertThrows(PolicyLoadException.class,
        () -> PolicyCompiler.compile(List.of(new PolicyCompiler.SourceFile("op.cedar", text))));
  }

  static PolicyCompiler.Compiled ok(String text) throws Exception {
    return PolicyCompiler.compile(List.of(new PolicyCompiler.SourceFile("op.cedar", text)));
  }

  @Test
  void syntaxErrorOnLaterLine_namesThatLine() {
    PolicyLoadException e = refused("""
        @id("a") @reason("r")
        permit (principal, action, resource)
        when {
          context.tainted &&
          context.integrity == 
        };
        """);
    assertThat(e.file()).isEqualTo("op.cedar");
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.getMessage()).startsWith("op.cedar:6: syntax error: unexpected token `}`");
  }

  @Test
  void missingSemicolonAtEnd_namesLastLine() {
    PolicyLoadException e = refused("""
        @id("a") @reason("r")
        permit (principal, action, resource)
        """);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.getMessage()).contains("syntax error");
  }

  @Test
  void unknownContextAttribute_refusedWithLineAndSuggestion() {
    PolicyLoadException e = refused("""
        @id("a") @reason("r")
        forbid (principal, action == Warden::Action::"egress", resource)
        when {
          context.taintd
        };
        """);
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).contains("does not match Warden's schema").contains("taintd").contains("tainted");
  }

  @Test
  void attributeOfOtherKind_refused() {
    // file_write has no `method`: the policy must constrain the action first.
    PolicyLoadException e = refused("""
        @id("a") @reason("r")
        forbid (principal, action, resource) when { context.method == "POST" };
        """);
    assertThat(e.getMessage()).contains("does not match Warden's schema");
  }

  @Test
  void unknownEntityType_refused() {
    PolicyLoadException e = refused("""
        @id("a") @reason("r")
        forbid (principal is Warden::Robot, action, resource);
        """);
    assertThat(e.getMessage()).contains("does not match Warden's schema");
  }

  @Test
  void missingId_refused() {
    assertThat(refused("@reason(\"r\") permit (principal, action, resource);").getMessage())
        .contains("needs @id");
  }

  @Test
  void badId_refused() {
    assertThat(refused("@id(\"has space\") @reason(\"r\") permit (principal, action, resource);").getMessage())
        .contains("needs @id").contains("\"has space\"");
  }

  @Test
  void reservedId_refused() {
    assertThat(refused("@id(\"default-deny\") @reason(\"r\") permit (principal, action, resource);").getMessage())
        .contains("reserved");
  }

  @Test
  void duplicateIdInFile_refusedNamingBoth() {
    PolicyLoadException e = refused("""
        @id("a") @reason("r")
        permit (principal, action, resource);
        @id("a") @reason("r")
        permit (principal, action, resource);
        """);
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).contains("already used at op.cedar:1");
  }

  @Test
  void missingReason_refused() {
    assertThat(refused("@id(\"a\") permit (principal, action, resource);").getMessage()).contains("needs @reason");
  }

  @Test
  void unknownPlaceholder_refused() {
    assertThat(refused("@id(\"a\") @reason(\"to {hots}\") permit (principal, action, resource);").getMessage())
        .contains("unknown placeholder {hots}");
  }

  @Test
  void unknownAnnotation_refused() {
    assertThat(refused("@id(\"a\") @reason(\"r\") @desicion(\"ask\") forbid (principal, action, resource);").getMessage())
        .contains("unknown annotation @desicion");
  }

  @Test
  void askOnPermit_refused() {
    assertThat(refused("@id(\"a\") @reason(\"r\") @decision(\"ask\") permit (principal, action, resource);").getMessage())
        .contains("is a permit");
  }

  @Test
  void badDecisionValue_refused() {
    assertThat(refused("@id(\"a\") @reason(\"r\") @decision(\"maybe\") forbid (principal, action, resource);").getMessage())
        .contains("must be \"deny\" or \"ask\"");
  }

  @Test
  void badSourcesValue_refused() {
    assertThat(refused("@id(\"a\") @reason(\"r\") @sources(\"some\") forbid (principal, action, resource);").getMessage())
        .contains("@sources must be");
  }

  @Test
  void template_refused() {
    assertThat(refused("@id(\"a\") @reason(\"r\") permit (principal == ?principal, action, resource);").getMessage())
        .contains("templates are not supported");
  }

  @Test
  void errorInSecondFile_namesSecondFile() {
    PolicyLoadException e = assertThrows(PolicyLoadException.class, () -> PolicyCompiler.compile(List.of(
        new PolicyCompiler.SourceFile("one.cedar", "@id(\"a\") @reason(\"r\") permit (principal, action, resource);"),
        new PolicyCompiler.SourceFile("two.cedar", "\n\n@id(\"b\") @reason(\"r\") permit (principal, action, resource"))));
    assertThat(e.file()).isEqualTo("two.cedar");
    assertThat(e.line()).isEqualTo(3);
  }

  @Test
  void sourcesInferredFromLabelAttributes() throws Exception {
    PolicyCompiler.Compiled c = ok("""
        @id("t") @reason("r") forbid (principal, action, resource) when { context.tainted };
        @id("s") @reason("r") forbid (principal, action, resource) when { context.confidentiality == "secret" };
        @id("n") @reason("r") forbid (principal, action, resource) when { context.quarantined };
        @id("x") @reason("r") @sources("none") forbid (principal, action, resource) when { context.tainted };
        @id("p") @reason("r") permit (principal, action, resource) when { context.tainted };
        """);
    assertThat(c.rules()).extracting(PolicyRule::sources).containsExactly(
        PolicyRule.Sources.UNTRUSTED, PolicyRule.Sources.ALL, PolicyRule.Sources.NONE, PolicyRule.Sources.NONE,
        PolicyRule.Sources.NONE);
    assertThat(c.rules()).extracting(PolicyRule::line).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void commentsAndStringsWithSemicolons_parsed() throws Exception {
    PolicyCompiler.Compiled c = ok("""
        // a comment; with a semicolon
        @id("a") @reason("r; still the reason")
        forbid (principal, action == Warden::Action::"egress", resource)
        when { context.url like "*;*" }; // trailing; comment
        """);
    assertThat(c.rules()).singleElement().satisfies(r -> {
      assertThat(r.reasonTemplate()).isEqualTo("r; still the reason");
      assertThat(r.line()).isEqualTo(2);
    });
  }

  @Test
  void schemaText_parsesAsCedarSchema() {
    assertThat(PolicyCompiler.schema()).isNotNull();
  }

  @Test
  void oversizedFile_refused() {
    String big = "// " + "x".repeat(PolicyCompiler.MAX_POLICY_FILE_CHARS) + "\n";
    assertThat(refused(big).getMessage()).contains("more than the " + PolicyCompiler.MAX_POLICY_FILE_CHARS);
  }
}
