package dev.warden.registry.skill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class PermissionManifestTest {
  private static PermissionManifest manifest(Set<String> hosts, Set<CredentialPermission> creds, Set<String> exes) {
    return new PermissionManifest(hosts, creds, exes, Set.of("workspace/data"), Set.of("workspace/out"), Set.of("web_fetch"));
  }

  @Test
  void none_grantsNothing() {
    assertThat(PermissionManifest.NONE.isEmpty()).isTrue();
    assertThat(PermissionManifest.NONE.allowsScripts()).isFalse();
    assertThat(PermissionManifest.NONE.allowsHost("example.com")).isFalse();
  }

  @Test
  void intersect_keepsOnlyWhatBothAllow() {
    PermissionManifest m = manifest(Set.of("api.example.com", "evil.example.net"),
        Set.of(CredentialPermission.of("GH_TOKEN", "repo", "admin"), CredentialPermission.of("OTHER")), Set.of("python3", "curl"));
    OwnerGrants g = new OwnerGrants(Set.of("*.example.com"), Set.of(CredentialPermission.of("GH_TOKEN", "repo")),
        Set.of("python3"), Set.of("workspace"), Set.of(), Set.of("web_fetch", "exec"));
    PermissionManifest r = m.intersect(g);
    assertThat(r.networkHosts()).containsExactly("api.example.com");
    assertThat(r.credentials()).containsExactly(CredentialPermission.of("GH_TOKEN", "repo"));
    assertThat(r.executables()).containsExactly("python3");
    assertThat(r.readPaths()).containsExactly("workspace/data");
    assertThat(r.writePaths()).isEmpty();
    assertThat(r.tools()).containsExactly("web_fetch");
  }

  @Test
  void intersect_withNoGrants_isEmpty() {
    PermissionManifest m = manifest(Set.of("api.example.com"), Set.of(CredentialPermission.of("K")), Set.of("bash"));
    assertThat(m.intersect(OwnerGrants.NONE).isEmpty()).isTrue();
  }

  @Test
  void intersect_wildcardScopeGrant_givesDeclaredScopes() {
    PermissionManifest m = manifest(Set.of(), Set.of(CredentialPermission.of("K", "read", "write")), Set.of());
    OwnerGrants g = new OwnerGrants(Set.of(), Set.of(CredentialPermission.of("K", "*")), Set.of(), Set.of(), Set.of(), Set.of());
    assertThat(m.intersect(g).credentials()).containsExactly(CredentialPermission.of("K", "read", "write"));
  }

  @Test
  void intersect_disjointScopes_dropsCredential() {
    PermissionManifest m = manifest(Set.of(), Set.of(CredentialPermission.of("K", "admin")), Set.of());
    OwnerGrants g = new OwnerGrants(Set.of(), Set.of(CredentialPermission.of("K", "read")), Set.of(), Set.of(), Set.of(), Set.of());
    assertThat(m.intersect(g).credentials()).isEmpty();
  }

  @Test
  void intersect_wildcardManifestHost_narrowedToGrantedHost() {
    PermissionManifest m = manifest(Set.of("*.example.com"), Set.of(), Set.of());
    OwnerGrants g = new OwnerGrants(Set.of("api.example.com", "other.org"), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());
    assertThat(m.intersect(g).networkHosts()).containsExactly("api.example.com");
  }

  @Test
  void intersect_apexNotCoveredByWildcard() {
    PermissionManifest m = manifest(Set.of("example.com"), Set.of(), Set.of());
    OwnerGrants g = new OwnerGrants(Set.of("*.example.com"), Set.of(), Set.of(), Set.of(), Set.of(), Set.of());
    assertThat(m.intersect(g).networkHosts()).isEmpty();
  }

  @Test
  void diff_reportsAddedHostsScopesAndExecutables() {
    PermissionManifest old = manifest(Set.of("api.example.com"), Set.of(CredentialPermission.of("GH", "read")), Set.of("python3"));
    PermissionManifest newer = manifest(Set.of("api.example.com", "upload.example.net"),
        Set.of(CredentialPermission.of("GH", "read", "write"), CredentialPermission.of("AWS")), Set.of("python3", "bash"));
    PermissionDiff d = old.diff(newer);
    assertThat(d.grows()).isTrue();
    assertThat(d.added().networkHosts()).containsExactly("upload.example.net");
    assertThat(d.added().credentials()).containsExactly(CredentialPermission.of("AWS"), CredentialPermission.of("GH", "write"));
    assertThat(d.added().executables()).containsExactly("bash");
    assertThat(d.removed().isEmpty()).isTrue();
    assertThat(d.describe()).contains("+ network upload.example.net", "+ executable bash");
  }

  @Test
  void diff_shrinkingUpdate_doesNotGrow() {
    PermissionManifest old = manifest(Set.of("a.example.com", "b.example.com"), Set.of(), Set.of("bash"));
    PermissionManifest newer = manifest(Set.of("a.example.com"), Set.of(), Set.of("bash"));
    assertThat(old.diff(newer).grows()).isFalse();
    assertThat(old.diff(newer).removed().networkHosts()).containsExactly("b.example.com");
  }

  @Test
  void diff_identical_isEmpty() {
    PermissionManifest m = manifest(Set.of("a.example.com"), Set.of(), Set.of("bash"));
    assertThat(m.diff(m).describe()).isEmpty();
  }

  @Test
  void construct_dotDotPath_rejected() {
    assertThatThrownBy(() -> new PermissionManifest(Set.of(), Set.of(), Set.of(), Set.of("workspace/../etc"), Set.of(), Set.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("..");
  }

  @Test
  void construct_blankEntry_rejected() {
    assertThatThrownBy(() -> new PermissionManifest(Set.of(" "), Set.of(), Set.of(), Set.of(), Set.of(), Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
