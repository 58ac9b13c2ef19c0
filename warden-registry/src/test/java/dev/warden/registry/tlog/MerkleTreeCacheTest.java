package dev.warden.registry.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeCacheTest {
  private static final int N = 70;

  @Test
  void growingCache_matchesUncachedTreeForEverySizeLeafAndPair() {
    MerkleTreeCache cache = new MerkleTreeCache();
    List<byte[]> leaves = new ArrayList<>();
    for (int n = 1; n <= N; n++) {
      byte[] leaf = MerkleTree.leafHash(("e" + n).getBytes(StandardCharsets.UTF_8));
      leaves.add(leaf);
      cache.add(leaf);
      assertThat(cache.root(n)).isEqualTo(MerkleTree.root(leaves, n));
      for (int i = 0; i < n; i++) {
        assertThat(cache.inclusionProof(i, n)).containsExactlyElementsOf(MerkleTree.inclusionProof(leaves, i, n));
      }
      for (int m = 0; m <= n; m++) {
        assertThat(cache.consistencyProof(m, n)).containsExactlyElementsOf(MerkleTree.consistencyProof(leaves, m, n));
      }
      // older sizes stay answerable after growth
      assertThat(cache.root(n / 2)).isEqualTo(MerkleTree.root(leaves, n / 2));
    }
  }
}
