package dev.warden.registry.tlog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree hash of RFC 9162 section 2.1 (the RFC 6962 tree): SHA-256, leaves hashed as
 * {@code H(0x00 || data)}, interior nodes as {@code H(0x01 || left || right)}, the tree split at the
 * largest power of two smaller than its size. Proof generation follows the RFC's PATH and
 * SUBPROOF definitions; verification follows its sections 2.1.3.2 and 2.1.4.2 step by step.
 *
 * <p>Generation works on the full list of leaf hashes: O(n) per proof, fine for a registry's log
 * of thousands of entries. The verifiers never trust sizes or proof lengths they are given: out of
 * range indices, sizes that decrease, and proofs that are too long or too short are all "false".
 */
public final class MerkleTree {
  /** Length of a hash, in bytes. */
  public static final int HASH_BYTES = 32;

  /** Longest proof accepted, in hashes: a tree of up to 2^63 leaves needs at most this many. */
  public static final int MAX_PROOF_HASHES = 64;

  private MerkleTree() {}

  public static byte[] leafHash(byte[] data) {
    MessageDigest d = sha256();
    d.update((byte) 0x00);
    d.update(data);
    return d.digest();
  }

  public static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = sha256();
    d.update((byte) 0x01);
    d.update(left);
    d.update(right);
    return d.digest();
  }

  public static byte[] emptyRoot() {
    return sha256().digest();
  }

  /** MTH over the first {@code size} leaf hashes. */
  public static byte[] root(List<byte[]> leafHashes, int size) {
    requireSize(leafHashes, size);
    if (size == 0) {
      return emptyRoot();
    }
    return mth(leafHashes, 0, size);
  }

  /** PATH(index, D[size]): the audit path of leaf {@code index} in the tree of the first {@code size} leaves. */
  public static List<byte[]> inclusionProof(List<byte[]> leafHashes, int index, int size) {
    requireSize(leafHashes, size);
    return inclusionProof((from, to) -> mth(leafHashes, from, to), index, size);
  }

  /** PROOF(m, D[n]): the consistency proof between the trees of the first {@code m} and {@code n} leaves. */
  public static List<byte[]> consistencyProof(List<byte[]> leafHashes, int m, int n) {
    requireSize(leafHashes, n);
    return consistencyProof((from, to) -> mth(leafHashes, from, to), m, n);
  }

  /** MTH of the leaves {@code [from, to)}; lets a caller memoise subtrees. */
  @FunctionalInterface
  interface Subtrees {
    byte[] hash(int from, int to);
  }

  static List<byte[]> inclusionProof(Subtrees t, int index, int size) {
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("leaf index " + index + " is outside a tree of size " + size);
    }
    List<byte[]> out = new ArrayList<>();
    path(t, index, 0, size, out);
    return out;
  }

  static List<byte[]> consistencyProof(Subtrees t, int m, int n) {
    if (m < 0 || m > n) {
      throw new IllegalArgumentException("consistency needs 0 <= from <= to, got from " + m + " to " + n);
    }
    List<byte[]> out = new ArrayList<>();
    if (m > 0 && m < n) {
      subproof(t, m, 0, n, true, out);
    }
    return out;
  }

  /** RFC 9162 2.1.3.2. */
  public static boolean verifyInclusion(byte[] leafHash, long index, long size, List<byte[]> proof, byte[] root) {
    if (index < 0 || index >= size || proof.size() > MAX_PROOF_HASHES || !wellFormed(leafHash) || !wellFormed(root)) {
      return false;
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leafHash;
    for (byte[] p : proof) {
      if (!wellFormed(p) || sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(r, root);
  }

  /** RFC 9162 2.1.4.2, plus the trivial cases (equal sizes: equal roots, empty proof; from 0: empty proof). */
  public static boolean verifyConsistency(long m, long n, byte[] rootM, byte[] rootN, List<byte[]> proof) {
    if (m < 0 || m > n || proof.size() > MAX_PROOF_HASHES || !wellFormed(rootM) || !wellFormed(rootN)) {
      return false;
    }
    if (m == n) {
      return proof.isEmpty() && MessageDigest.isEqual(rootM, rootN);
    }
    if (m == 0) {
      return proof.isEmpty() && MessageDigest.isEqual(rootM, emptyRoot());
    }
    if (proof.isEmpty()) {
      return false;
    }
    List<byte[]> path = new ArrayList<>(proof);
    if (Long.bitCount(m) == 1) {
      path.addFirst(rootM);
    }
    long fn = m - 1;
    long sn = n - 1;
    while ((fn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
    }
    if (!wellFormed(path.getFirst())) {
      return false;
    }
    byte[] fr = path.getFirst();
    byte[] sr = path.getFirst();
    for (byte[] c : path.subList(1, path.size())) {
      if (!wellFormed(c) || sn == 0) {
        return false;
      }
      if ((fn & 1) == 1 || fn == sn) {
        fr = nodeHash(c, fr);
        sr = nodeHash(c, sr);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        sr = nodeHash(sr, c);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 && MessageDigest.isEqual(fr, rootM) && MessageDigest.isEqual(sr, rootN);
  }

  private static byte[] mth(List<byte[]> leaves, int from, int to) {
    int n = to - from;
    if (n == 1) {
      return leaves.get(from);
    }
    int k = largestPowerOfTwoBelow(n);
    return nodeHash(mth(leaves, from, from + k), mth(leaves, from + k, to));
  }

  private static void path(Subtrees t, int m, int from, int to, List<byte[]> out) {
    int n = to - from;
    if (n == 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(t, m, from, from + k, out);
      out.add(t.hash(from + k, to));
    } else {
      path(t, m - k, from + k, to, out);
      out.add(t.hash(from, from + k));
    }
  }

  private static void subproof(Subtrees t, int m, int from, int to, boolean b, List<byte[]> out) {
    int n = to - from;
    if (m == n) {
      if (!b) {
        out.add(t.hash(from, to));
      }
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m <= k) {
      subproof(t, m, from, from + k, b, out);
      out.add(t.hash(from + k, to));
    } else {
      subproof(t, m - k, from + k, to, false, out);
      out.add(t.hash(from, from + k));
    }
  }

  /** The largest power of two strictly smaller than {@code n} (n >= 2). */
  static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }

  private static boolean wellFormed(byte[] h) {
    return h != null && h.length == HASH_BYTES;
  }

  private static void requireSize(List<byte[]> leaves, int size) {
    if (size < 0 || size > leaves.size()) {
      throw new IllegalArgumentException("tree size " + size + " is outside 0.." + leaves.size());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new dev.warden.kernel.WardenBugException("SHA-256 missing from the JDK", e);
    }
  }
}
