package dev.warden.monitor.hunt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "DELETE FROM events",
      "INSERT INTO events(seq) VALUES (1)",
      "UPDATE events SET verdict = 'allow'",
      "DROP TABLE events",
      "SELECT 1; DELETE FROM events",
      "SELECT 1; SELECT 2",
      "WITH x AS (SELECT 1) DELETE FROM events",
      "WITH x AS (SELECT 1) INSERT INTO alerts SELECT * FROM x",
      "PRAGMA query_only=0",
      "ATTACH DATABASE '/tmp/x.db' AS x",
      "SELECT load_extension('/tmp/evil.so')",
      "VACUUM INTO '/tmp/copy.db'",
      "/* SELECT */ DELETE FROM events",
      "REPLACE INTO events(seq) VALUES (1)",
      "",
      "   "})
  void checkReadOnly_rejectsAnythingButASingleSelect(String sql) {
    assertThatThrownBy(() -> SqlGuard.checkReadOnly(sql)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void checkReadOnly_acceptsSelectAndWith_ignoringKeywordsInsideStringsAndComments() {
    assertThat(SqlGuard.checkReadOnly("SELECT * FROM events WHERE rule = 'delete; drop'; "))
        .isEqualTo("SELECT * FROM events WHERE rule = 'delete; drop'");
    assertThat(SqlGuard.checkReadOnly("with x as (select 1 as a) select a from x -- delete;"))
        .isEqualTo("with x as (select 1 as a) select a from x");
    assertThat(SqlGuard.checkReadOnly("SELECT \"update\" FROM (SELECT 1 AS \"update\")")).startsWith("SELECT");
  }

  @Test
  void checkReadOnly_rejectsOverlongQueries() {
    assertThatThrownBy(() -> SqlGuard.checkReadOnly("SELECT " + "1,".repeat(SqlGuard.MAX_SQL_CHARS) + "1"))
        .hasMessageContaining("at most");
  }
}
