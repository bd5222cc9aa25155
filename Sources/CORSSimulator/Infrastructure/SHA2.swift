/// SHA-256, SHA-384 and SHA-512 (FIPS 180-4), for Subresource Integrity checks. The core library depends on
/// nothing, and these few lines are all integrity metadata needs.
enum SHA2 {
  static func sha256(_ message: [UInt8]) -> [UInt8] {
    var h: [UInt32] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]
    let k: [UInt32] = [
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
      0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
      0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
      0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
      0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
      0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
      0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
      0xc67178f2,
    ]
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    var data = message
    let bitLength = UInt64(message.count) * 8
    data.append(0x80)
    while data.count % 64 != 56 { data.append(0) }
    for i in (0..<8).reversed() { data.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
    var w = [UInt32](repeating: 0, count: 64)
    for chunk in stride(from: 0, to: data.count, by: 64) {
      for i in 0..<16 {
        w[i] = UInt32(data[chunk + 4 * i]) << 24 | UInt32(data[chunk + 4 * i + 1]) << 16
          | UInt32(data[chunk + 4 * i + 2]) << 8 | UInt32(data[chunk + 4 * i + 3])
      }
      for i in 16..<64 {
        let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
        let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
      for i in 0..<64 {
        let s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)
        let ch = (e & f) ^ (~e & g)
        let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
        let s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)
        let maj = (a & b) ^ (a & c) ^ (b & c)
        let t2 = s0 &+ maj
        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
      }
      h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d
      h[4] = h[4] &+ e; h[5] = h[5] &+ f; h[6] = h[6] &+ g; h[7] = h[7] &+ hh
    }
    return h.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
  }

  static let k512: [UInt64] = [
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc, 0x3956c25bf348b538,
    0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242, 0x12835b0145706fbe,
    0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2, 0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5, 0x983e5152ee66dfab,
    0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df, 0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8, 0x19a4c116b8d2d0c8, 0x1e376c085141ab53,
    0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b, 0xca273eceea26619c,
    0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba, 0x0a637dc5a2c898a6,
    0x113f9804bef90dae, 0x1b710b35131c471b, 0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
  ]

  static func sha512(_ message: [UInt8], initial: [UInt64], outputBytes: Int) -> [UInt8] {
    var h = initial
    func rotr(_ x: UInt64, _ n: UInt64) -> UInt64 { (x >> n) | (x << (64 - n)) }
    var data = message
    let bitLength = UInt64(message.count) * 8
    data.append(0x80)
    while data.count % 128 != 112 { data.append(0) }
    for _ in 0..<8 { data.append(0) }  // high 64 bits of the 128-bit length
    for i in (0..<8).reversed() { data.append(UInt8(truncatingIfNeeded: bitLength >> (UInt64(i) * 8))) }
    var w = [UInt64](repeating: 0, count: 80)
    for chunk in stride(from: 0, to: data.count, by: 128) {
      for i in 0..<16 {
        var v: UInt64 = 0
        for j in 0..<8 { v = v << 8 | UInt64(data[chunk + 8 * i + j]) }
        w[i] = v
      }
      for i in 16..<80 {
        let s0 = rotr(w[i - 15], 1) ^ rotr(w[i - 15], 8) ^ (w[i - 15] >> 7)
        let s1 = rotr(w[i - 2], 19) ^ rotr(w[i - 2], 61) ^ (w[i - 2] >> 6)
        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
      }
      var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
      for i in 0..<80 {
        let s1 = rotr(e, 14) ^ rotr(e, 18) ^ rotr(e, 41)
        let ch = (e & f) ^ (~e & g)
        let t1 = hh &+ s1 &+ ch &+ k512[i] &+ w[i]
        let s0 = rotr(a, 28) ^ rotr(a, 34) ^ rotr(a, 39)
        let maj = (a & b) ^ (a & c) ^ (b & c)
        let t2 = s0 &+ maj
        (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
      }
      h[0] = h[0] &+ a; h[1] = h[1] &+ b; h[2] = h[2] &+ c; h[3] = h[3] &+ d
      h[4] = h[4] &+ e; h[5] = h[5] &+ f; h[6] = h[6] &+ g; h[7] = h[7] &+ hh
    }
    let bytes = h.flatMap { v in (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) } }
    return Array(bytes.prefix(outputBytes))
  }

  static func sha512(_ m: [UInt8]) -> [UInt8] {
    sha512(m, initial: [0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
                        0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179], outputBytes: 64)
  }

  static func sha384(_ m: [UInt8]) -> [UInt8] {
    sha512(m, initial: [0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
                        0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4], outputBytes: 48)
  }
}

/// Subresource Integrity: does a body match integrity metadata? SRI §3.3.5 "Do bytes match metadataList?"
enum SubresourceIntegrity {
  /// nil when the metadata names no supported algorithm (then nothing is checked); else whether it matches.
  static func matches(body: String, metadata: String) -> Bool? {
    guard let (strongest, actual, parsed) = digest(body: body, metadata: metadata) else { return nil }
    // Only the strongest algorithm's values count; base64url input is accepted as equivalent.
    return parsed.contains { $0.alg == strongest && normalize($0.value) == actual }
  }

  /// The body's digest, base64, under the strongest algorithm the metadata names (SRI §3.3.3 "Get the strongest
  /// metadata from set"), with that algorithm's name as the consoles write it (`sha256`, `sha384`, `sha512`); nil
  /// when the metadata names no supported algorithm.
  static func strongestDigest(body: String, metadata: String) -> (algorithm: String, digest: String)? {
    guard let (strongest, actual, _) = digest(body: body, metadata: metadata) else { return nil }
    return (["sha256", "sha384", "sha512"][strongest - 1], actual)
  }

  /// The metadata parsed, its strongest algorithm's rank (1: sha256, 2: sha384, 3: sha512) and the body's digest.
  private static func digest(body: String, metadata: String)
    -> (strongest: Int, digest: String, parsed: [(alg: Int, value: String)])? {
    // Parse metadata: whitespace-separated `alg-value[?options]` tokens with alg sha256, sha384 or sha512.
    var parsed: [(alg: Int, value: String)] = []
    for token in metadata.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }) {
      let expression = token.split(separator: "?", maxSplits: 1)[0]
      guard let dash = expression.firstIndex(of: "-") else { continue }
      let alg = expression[..<dash].lowercased()
      let rank = alg == "sha256" ? 1 : alg == "sha384" ? 2 : alg == "sha512" ? 3 : 0
      if rank > 0 { parsed.append((rank, String(expression[expression.index(after: dash)...]))) }
    }
    // If parsedMetadata is empty set, return true (no check).
    guard let strongest = parsed.map(\.alg).max() else { return nil }
    let bytes = BodyBytes.bytes(body)
    let digest: [UInt8]
    switch strongest {
    case 1: digest = SHA2.sha256(bytes)
    case 2: digest = SHA2.sha384(bytes)
    default: digest = SHA2.sha512(bytes)
    }
    return (strongest, Base64.encode(digest), parsed)
  }

  static func normalize(_ v: String) -> String {
    String(v.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
  }
}

/// Standard base64 (RFC 4648 §4) with padding.
public enum Base64 {
  /// Encodes bytes.
  public static func encode(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    var out: [UInt8] = []
    var i = 0
    while i + 2 < bytes.count {
      let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
      out += [table[Int(n >> 18)], table[Int((n >> 12) & 63)], table[Int((n >> 6) & 63)], table[Int(n & 63)]]
      i += 3
    }
    if i < bytes.count {
      let rest = bytes.count - i
      let n = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
      out += [table[Int(n >> 18)], table[Int((n >> 12) & 63)]]
      out += rest == 2 ? [table[Int((n >> 6) & 63)], 0x3D] : [0x3D, 0x3D]
    }
    return String(decoding: out, as: UTF8.self)
  }
}
