import CFuzzerDriver
import CORSPolicy
import CORSText
import CORSSimulator

/// A policy file (YAML or JSON): it is read or refused with a message; a policy that is read answers the
/// audit's requests (one engine and the default origins, to keep each run short).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPolicy(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data else { return 0 }
  guard let text = String(validating: UnsafeBufferPointer(start: data, count: size), as: UTF8.self) else { return -1 }
  let document: PolicyDocument
  do { document = try PolicyDocument(text: text) } catch {
    if error.message.isEmpty { fatalError("an error without a message") }
    return 0
  }
  // The rules' index finds the rule the in-order scan finds.
  for origin in ["https://evil.test", "null", "https://app.example.com", document.resource.origin.serialization] {
    let first = document.policy.origins.first { $0.matches(origin) }
    if document.policy.rule(allowing: origin) != first, document.policy.middleware != .hummingbird || origin != "null" {
      fatalError("rule(allowing: \(origin)) disagrees with the rules in order")
    }
  }
  var auditor = Auditor(document: document, engines: [.chromium])
  auditor.randomOrigins = 0
  let report = auditor.audit(document)
  _ = report.text(style: .plain)
  return 0
}

/// The entry point SwiftPM links (Package.swift): libFuzzer's driver, with this target's test.
@_cdecl("FuzzPolicy_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
  var (count, vector) = (argc, argv)
  return LLVMFuzzerRunDriver(&count, &vector, fuzzPolicy)
}
