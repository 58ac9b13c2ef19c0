package dev.warden.registry.tlog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The leaf hashes of an append-only tree, with every complete subtree's hash memoised. In the
 * RFC 9162 recursion every power-of-two subtree starts at a multiple of its size, and in an
 * append-only log such a subtree never changes once complete, so roots and proofs cost O(log n)
 * hashes after the first request instead of O(n). Results are those of {@link MerkleTree} exactly
 * ({@code MerkleTreeCacheTest} checks every size and pair).
 *
 * <p>Not thread-safe: the owner locks.
 */
final class MerkleTreeCache {
  private final List<byte[]> leaves = new ArrayList<>();
  private final Map<Long, byte[]> complete = new HashMap<>();

  void add(byte[] leafHash) {
    leaves.add(leafHash);
  }

  int size() {
    return leaves.size();
  }

  byte[] root(int size) {
    check(size);
    return size == 0 ? MerkleTree.emptyRoot() : hash(0, size);
  }

  List<byte[]> inclusionProof(int index, int size) {
    check(size);
    return MerkleTree.inclusionProof(this::hash, index, size);
  }

  List<byte[]> consistencyProof(int m, int n) {
    check(n);
    return MerkleTree.consistencyProof(this::hash, m, n);
  }

  private byte[] hash(int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    boolean isComplete = Integer.bitCount(n) == 1;
    long key = ((long) from << 32) | n;
    if (isComplete) {
      byte[] cached = complete.get(key);
      if (cached != null) {
        return cached;
      }
    }
    int k = MerkleTree.largestPowerOfTwoBelow(n);
    byte[] h = MerkleTree.nodeHash(hash(from, from + k), hash(from + k, to));
    if (isComplete) {
      complete.put(key, h);
    }
    return h;
  }

  private void check(int size) {
    if (size < 0 || size > leaves.size()) {
      throw new IllegalArgumentException("tree size " + size + " is outside 0.." + leaves.size());
    }
  }
}
