package dev.warden.policy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CedarStatementsTest {
  @Test
  void split_commentsOnly_none() {
    assertThat(CedarStatements.split("// nothing\n  // here;\n")).isEmpty();
  }

  @Test
  void split_semicolonsInStringsAndComments_ignored() {
    List<CedarStatements.Statement> s = CedarStatements.split("""
        // header; comment
        @reason("a;b") permit (principal, action, resource) when { context.x == "q\\";" };
        forbid (principal, action, resource);
        """);
    assertThat(s).hasSize(2);
    assertThat(s.get(0).startLine()).isEqualTo(2);
    assertThat(s.get(0).text()).endsWith("\"q\\\";\" };");
    assertThat(s.get(1).startLine()).isEqualTo(3);
    assertThat(s.get(1).text()).isEqualTo("forbid (principal, action, resource);");
  }

  @Test
  void split_missingFinalSemicolon_keepsTail() {
    List<CedarStatements.Statement> s = CedarStatements.split("permit (principal, action, resource)\n");
    assertThat(s).singleElement().extracting(CedarStatements.Statement::text).isEqualTo("permit (principal, action, resource)");
  }

  @Test
  void lineOf_countsNewlinesFromStart() {
    CedarStatements.Statement st = CedarStatements.split("\n\nforbid (\n principal,\n action, resource);").getFirst();
    assertThat(st.startLine()).isEqualTo(3);
    assertThat(st.lineOf(0)).isEqualTo(3);
    assertThat(st.lineOf(st.text().indexOf("action"))).isEqualTo(5);
  }
}
