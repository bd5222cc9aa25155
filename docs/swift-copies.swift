// What Swift copies when a value held `inout` is passed on (docs/SWIFT-COPIES.md). Not part of the package: compile
// it on its own, `swiftc -O -parse-as-library -emit-library docs/swift-copies.swift`, and look for `call memcpy` in
// the disassembly of `a`, `b`, `c` and `d` (`objdump -d`).
struct Big {  // any struct large enough to be passed indirectly
  var a: String, b: [Int], c: String, d: [String], e: Int, f: String?, g: [Int]?, h: String, i: String
  var j: [Int], k: Int, l: Int, m: String, n: String, o: [Int], p: String, q: String, r: String
}
var counter = 0
@inline(never) func byValue(_ r: Big) { counter += r.b.count }
@inline(never) func byBorrow(_ r: borrowing Big) { counter += r.b.count }
@inline(never) func byInout(_ r: inout Big) { counter += r.b.count }

@inline(never) func a(_ r: inout Big) -> Int { byValue(r); r.e += 1; byValue(r); return r.e }      // two memcpy
@inline(never) func b(_ r: inout Big) -> Int { byBorrow(r); r.e += 1; byBorrow(r); return r.e }    // two memcpy
@inline(never) func c(_ r: inout Big) -> Int { byInout(&r); r.e += 1; byInout(&r); return r.e }    // none
@inline(never) func d(_ r: Big) -> Int { byValue(r); byValue(r); return r.e }                      // none
