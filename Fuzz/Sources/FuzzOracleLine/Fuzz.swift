import CFuzzerDriver
import CORSJSON
import CORSOracle

/// One oracle input line, as bytes: whatever it holds, the answer is one JSON object with an `id` and either
/// `steps` or `error`, and it has no line break in it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOracleLine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  let line = UnsafeBufferPointer(start: data, count: size)
  // The command splits its input at line feeds: a line never holds one.
  if line.contains(0x0A) { return -1 }
  // A line read without a JSON tree is the scenario the full decoder builds, and a line the full decoder refuses
  // is never read without one.
  if let text = String(validating: line, as: UTF8.self), let fast = OracleInput.decodeWithoutTree(text) {
    let full = (try? JSONParser.parse(text)).flatMap { try? OracleInput.decode($0) }
    if fast != full { fatalError("the line read without a tree differs from the full decoder's: \(text.prefix(200))") }
  }
  for explain in [false, true] {
    let answer = Oracle(explain: explain).answer(utf8: line, lineNumber: 1)
    if answer.utf8.contains(0x0A) { fatalError("the answer holds a line break: \(answer.prefix(200))") }
    guard let json = try? JSONParser.parse(answer) else { fatalError("the answer is not JSON: \(answer.prefix(200))") }
    guard case .object = json, json["id"] != nil, (json["steps"] == nil) != (json["error"] == nil) else {
      fatalError("the answer is not {id, steps} or {id, error}: \(answer.prefix(200))")
    }
  }
  return 0
}

/// The entry point SwiftPM links (Package.swift): libFuzzer's driver, with this target's test.
@_cdecl("FuzzOracleLine_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var (count, vector) = (argc, argv)
  return LLVMFuzzerRunDriver(&count, &vector, fuzzOracleLine)
}
