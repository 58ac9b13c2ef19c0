package dev.warden.registry.tlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {
  private static final int N = 40;
  private static final HexFormat HEX = HexFormat.of();

  /** The RFC 6962 reference inputs used by Certificate Transparency implementations' tests. */
  private static final String[] CT_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
  private static final String[] CT_ROOTS = {
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};

  private static List<byte[]> leaves(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(MerkleTree.leafHash(("entry " + i).getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }

  @Test
  void root_referenceVectors_match() {
    List<byte[]> leaves = new ArrayList<>();
    for (String l : CT_LEAVES) {
      leaves.add(MerkleTree.leafHash(HEX.parseHex(l)));
    }
    for (int size = 1; size <= CT_LEAVES.length; size++) {
      assertThat(HEX.formatHex(MerkleTree.root(leaves, size))).as("size " + size).isEqualTo(CT_ROOTS[size - 1]);
    }
  }

  @Test
  void root_empty_isHashOfNothing() {
    assertThat(HEX.formatHex(MerkleTree.root(List.of(), 0))).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void inclusion_everyLeafOfEveryTreeUpToN_verifies() {
    List<byte[]> all = leaves(N);
    for (int size = 1; size <= N; size++) {
      byte[] root = MerkleTree.root(all, size);
      for (int i = 0; i < size; i++) {
        List<byte[]> proof = MerkleTree.inclusionProof(all, i, size);
        assertThat(MerkleTree.verifyInclusion(all.get(i), i, size, proof, root)).as("leaf %d of %d", i, size).isTrue();
      }
    }
  }

  @Test
  void inclusion_tamperedProofs_rejected() {
    List<byte[]> all = leaves(N);
    for (int size = 1; size <= N; size++) {
      byte[] root = MerkleTree.root(all, size);
      for (int i = 0; i < size; i++) {
        List<byte[]> proof = MerkleTree.inclusionProof(all, i, size);
        String at = "leaf " + i + " of " + size;
        assertThat(MerkleTree.verifyInclusion(all.get((i + 1) % N), i, size, proof, root)).as("other leaf, " + at).isFalse();
        if (size < N) {
          // a head binds size and root together: the proof must not fit the next tree's head
          assertThat(MerkleTree.verifyInclusion(all.get(i), i, size + 1, proof, MerkleTree.root(all, size + 1))).as("next head, " + at).isFalse();
        }
        if (size > 1) {
          assertThat(MerkleTree.verifyInclusion(all.get(i), (i + 1) % size, size, proof, root)).as("wrong index, " + at).isFalse();
        }
        for (int k = 0; k < proof.size(); k++) {
          List<byte[]> bad = flip(proof, k);
          assertThat(MerkleTree.verifyInclusion(all.get(i), i, size, bad, root)).as("flipped hash %d, %s", k, at).isFalse();
        }
        if (!proof.isEmpty()) {
          assertThat(MerkleTree.verifyInclusion(all.get(i), i, size, proof.subList(0, proof.size() - 1), root)).as("short, " + at).isFalse();
        }
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(all.get(0));
        assertThat(MerkleTree.verifyInclusion(all.get(i), i, size, longer, root)).as("long, " + at).isFalse();
        if (size > 1) {
          assertThat(MerkleTree.verifyInclusion(all.get(i), i, size, proof, MerkleTree.root(all, size - 1))).as("other root, " + at).isFalse();
        }
      }
    }
  }

  @Test
  void inclusion_outOfRange_rejected() {
    List<byte[]> all = leaves(4);
    byte[] root = MerkleTree.root(all, 4);
    assertThat(MerkleTree.verifyInclusion(all.get(0), 4, 4, List.of(), root)).isFalse();
    assertThat(MerkleTree.verifyInclusion(all.get(0), -1, 4, List.of(), root)).isFalse();
    assertThat(MerkleTree.verifyInclusion(all.get(0), 0, 0, List.of(), root)).isFalse();
  }

  @Test
  void consistency_allPairsUpToN_verify() {
    List<byte[]> all = leaves(N);
    for (int n = 0; n <= N; n++) {
      for (int m = 0; m <= n; m++) {
        List<byte[]> proof = MerkleTree.consistencyProof(all, m, n);
        assertThat(MerkleTree.verifyConsistency(m, n, MerkleTree.root(all, m), MerkleTree.root(all, n), proof))
            .as("%d -> %d", m, n).isTrue();
      }
    }
  }

  @Test
  void consistency_tamperedProofsAndRoots_rejected() {
    List<byte[]> all = leaves(N);
    List<byte[]> forked = leaves(N);
    for (int n = 1; n <= N; n++) {
      for (int m = 1; m < n; m++) {
        String at = m + " -> " + n;
        byte[] rm = MerkleTree.root(all, m);
        byte[] rn = MerkleTree.root(all, n);
        List<byte[]> proof = MerkleTree.consistencyProof(all, m, n);
        for (int k = 0; k < proof.size(); k++) {
          assertThat(MerkleTree.verifyConsistency(m, n, rm, rn, flip(proof, k))).as("flipped %d, %s", k, at).isFalse();
        }
        assertThat(MerkleTree.verifyConsistency(m, n, rm, rn, proof.subList(0, proof.size() - 1))).as("short, " + at).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, rn, rm, proof)).as("swapped roots, " + at).isFalse();
        if (n < N) {
          assertThat(MerkleTree.verifyConsistency(m, n + 1, rm, MerkleTree.root(all, n + 1), proof)).as("next head, " + at).isFalse();
        }
        assertThat(MerkleTree.verifyConsistency(n, m, rn, rm, proof)).as("decreasing, " + at).isFalse();
        // a fork: entry m-1 rewritten, then the same later entries
        forked.set(m - 1, MerkleTree.leafHash(("rewritten " + m).getBytes(StandardCharsets.UTF_8)));
        byte[] forkedRoot = MerkleTree.root(forked, n);
        assertThat(MerkleTree.verifyConsistency(m, n, rm, forkedRoot, MerkleTree.consistencyProof(forked, m, n)))
            .as("fork at %d, %s", m - 1, at).isFalse();
        forked.set(m - 1, all.get(m - 1));
      }
    }
  }

  @Test
  void consistency_sameSizeDifferentRoot_rejected() {
    List<byte[]> a = leaves(5);
    List<byte[]> b = new ArrayList<>(a);
    b.set(2, MerkleTree.leafHash(new byte[] {1}));
    assertThat(MerkleTree.verifyConsistency(5, 5, MerkleTree.root(a, 5), MerkleTree.root(b, 5), List.of())).isFalse();
    assertThat(MerkleTree.verifyConsistency(0, 5, MerkleTree.root(a, 1), MerkleTree.root(a, 5), List.of())).isFalse();
  }

  @Test
  void proofLength_isLogarithmic() {
    List<byte[]> all = leaves(1024);
    assertThat(MerkleTree.inclusionProof(all, 517, 1024)).hasSize(10);
    assertThat(MerkleTree.consistencyProof(all, 1000, 1024).size()).isLessThanOrEqualTo(2 * 10);
  }

  private static List<byte[]> flip(List<byte[]> proof, int k) {
    List<byte[]> bad = new ArrayList<>(proof);
    byte[] h = bad.get(k).clone();
    h[0] ^= 1;
    bad.set(k, h);
    return bad;
  }
}
